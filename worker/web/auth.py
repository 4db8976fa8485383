"""Who is signed in: the session cookie, the CSRF check of every form, the role a page needs."""
from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request

from worker.api.deps import ServicesDep
from worker.db.users import WebSession, session_for
from worker.tokens import allows

SESSION_COOKIE = "aw_session"
SIGNIN_COOKIE = "aw_signin_csrf"
"""Double-submit CSRF cookie of the sign-in form (there is no session yet to bind it to)."""


class SignInRequired(Exception):
    """The page needs a signed-in user; answered with a redirect to the sign-in page."""


class Forbidden(Exception):
    """Signed in, but this page or action needs another role (or a valid CSRF token)."""


def mark_page(request: Request) -> None:
    """Every page route depends on this: its errors are answered as pages, not API JSON."""
    request.state.web_page = True


def _session(request: Request, svc: ServicesDep) -> WebSession:
    token = request.cookies.get(SESSION_COOKIE)
    with svc.db.session() as s:
        web = session_for(s, token)
    if web is None:
        raise SignInRequired()
    request.state.web = web
    return web


def _admin(web: Annotated[WebSession, Depends(_session)]) -> WebSession:
    if not allows(web.scope, "admin"):
        raise Forbidden("this page is for admins; ask an admin if you need it")
    return web


WebUser = Annotated[WebSession, Depends(_session)]
WebAdmin = Annotated[WebSession, Depends(_admin)]


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given), expected)


async def _csrf_checked(request: Request, web: WebUser) -> WebSession:
    """The session, once the request carries its CSRF token (form field ``csrf`` or X-CSRF-Token)."""
    given = request.headers.get("x-csrf-token")
    streamed = request.headers.get("content-type", "").startswith("multipart/form-data")
    if not given and not streamed:  # an upload streams its body: its token comes as a header
        form = await request.form()
        value = form.get("csrf")
        given = value if isinstance(value, str) else None
    if not same_token(given, web.csrf):
        raise Forbidden("the form was sent without its security token (CSRF); reload the page and "
                        "try again")
    return web


WebForm = Annotated[WebSession, Depends(_csrf_checked)]
"""A signed-in user posting a form of this site (the CSRF token checked)."""


def _writer(web: WebForm) -> WebSession:
    """The API's own permission rule: changing a record needs the write scope."""
    if not allows(web.scope, "write"):
        raise Forbidden(f"signed in as {web.principal} with read-only access; changing the record "
                        "needs a CSM (write) sign-in")
    return web


WebWriter = Annotated[WebSession, Depends(_writer)]
"""A signed-in user allowed to change records, posting a form of this site (CSRF checked)."""


def new_signin_token() -> str:
    return secrets.token_urlsafe(24)
