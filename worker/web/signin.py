"""Sign in (a local user, or an API token) and sign out."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from worker.db.users import authenticate, end_session, start_session
from worker.web.auth import SESSION_COOKIE, SIGNIN_COOKIE, ServicesDep, WebForm, new_signin_token, same_token
from worker.web.templating import page

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path of this site (never ``//host`` or ``https://...``): no open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _form(request: Request, error: str = "", email: str = "", next_: str = "/",
          status_code: int = 200) -> HTMLResponse:
    token = new_signin_token()
    response = page(request, "signin.html", status_code=status_code, title="Sign in", error=error,
                    email=email, next=_safe_next(next_), csrf=token, web=None)
    response.set_cookie(SIGNIN_COOKIE, token, httponly=True, samesite="strict", path="/signin")
    return response


@router.get("/signin", name="sign_in_page", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str = "/") -> HTMLResponse:
    return _form(request, next_=next)


def _token_principal(svc: ServicesDep, token: str) -> tuple[str, str] | None:
    """(principal, role) of a valid API token, or None."""
    from worker.web.tokens import token_role

    return token_role(svc, token)


@router.post("/signin", name="sign_in", response_model=None)
def sign_in(request: Request, svc: ServicesDep, csrf: Annotated[str, Form()] = "",
            email: Annotated[str, Form(max_length=320)] = "",
            password: Annotated[str, Form(max_length=1000)] = "",
            token: Annotated[str, Form(max_length=1000)] = "",
            next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    if not same_token(csrf, request.cookies.get(SIGNIN_COOKIE) or ""):
        return _form(request, "The sign-in form expired; please try again.", email, next, 403)
    who: tuple[str, str] | None = None
    if token.strip():
        who = _token_principal(svc, token.strip())
        error = "That API token is not valid (or was revoked)."
    else:
        with svc.db.session() as s:
            user = authenticate(s, email, password)
            who = (user.email, user.role) if user else None
        error = "Wrong email or password."
    if who is None:
        return _form(request, error, email, next, 401)
    with svc.db.session() as s:
        cookie = start_session(s, who[0], who[1], svc.settings.web_session_hours)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="lax",
                        secure=svc.settings.web_secure_cookie,
                        max_age=int(svc.settings.web_session_hours * 3600), path="/")
    response.delete_cookie(SIGNIN_COOKIE, path="/signin")
    return response


@router.post("/signout", name="sign_out")
def sign_out(request: Request, svc: ServicesDep, web: WebForm) -> RedirectResponse:
    with svc.db.session() as s:
        end_session(s, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
