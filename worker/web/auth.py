"""Who is signed in: the session cookie, the CSRF check of every form, the role a page needs."""
from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request

from worker.db.users import WebSession, session_for
from worker.services import Services

SESSION_COOKIE = "aw_session"
SIGNIN_COOKIE = "aw_signin_csrf"
"""Double-submit CSRF cookie of the sign-in form (there is no session yet to bind it to)."""


class SignInRequired(Exception):
    """The page needs a signed-in user; answered with a redirect to the sign-in page."""


class Forbidden(Exception):
    """Signed in, but this page or action needs another role (or a valid CSRF token)."""


def services(request: Request) -> Services:
    svc: Services = request.app.state.services
    return svc


ServicesDep = Annotated[Services, Depends(services)]


def _session(request: Request, svc: ServicesDep) -> WebSession:
    token = request.cookies.get(SESSION_COOKIE)
    with svc.db.session() as s:
        web = session_for(s, token)
    if web is None:
        raise SignInRequired()
    request.state.web = web
    return web


def _admin(web: Annotated[WebSession, Depends(_session)]) -> WebSession:
    if not web.is_admin:
        raise Forbidden("this page is for admins; ask an admin if you need it")
    return web


WebUser = Annotated[WebSession, Depends(_session)]
WebAdmin = Annotated[WebSession, Depends(_admin)]


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given), expected)


async def _csrf_checked(request: Request, web: WebUser) -> WebSession:
    """The session, once the request carries its CSRF token (form field ``csrf`` or X-CSRF-Token)."""
    given = request.headers.get("x-csrf-token")
    if not given:
        form = await request.form()
        value = form.get("csrf")
        given = value if isinstance(value, str) else None
    if not same_token(given, web.csrf):
        raise Forbidden("the form was sent without its security token (CSRF); reload the page and "
                        "try again")
    return web


WebForm = Annotated[WebSession, Depends(_csrf_checked)]
"""A signed-in user posting a form of this site (the CSRF token checked)."""


def new_signin_token() -> str:
    return secrets.token_urlsafe(24)
