"""Admin page: the local users, and adding one (the same code as ``alignment-worker user create``)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from worker.db.models import UserRow
from worker.db.users import ROLES, UserExistsError, create_user
from worker.passwords import WeakPasswordError
from worker.web.auth import ServicesDep, WebAdmin, WebForm
from worker.web.templating import page

router = APIRouter()


def _page(request: Request, svc: ServicesDep, message: str = "", error: str = "",
          status_code: int = 200) -> HTMLResponse:
    with svc.db.session() as s:
        users = [(u.email, u.role, u.created_at) for u in s.scalars(select(UserRow).order_by(UserRow.email))]
    return page(request, "users.html", status_code=status_code, title="Users", users=users, roles=ROLES,
                message=message, error=error)


@router.get("/admin/users", name="users_page", response_class=HTMLResponse)
def users_page(request: Request, svc: ServicesDep, web: WebAdmin) -> HTMLResponse:
    return _page(request, svc)


@router.post("/admin/users", name="add_user", response_model=None)
def add_user(request: Request, svc: ServicesDep, web: WebForm, admin: WebAdmin,
             email: Annotated[str, Form(max_length=320)], role: Annotated[str, Form(max_length=20)],
             password: Annotated[str, Form(max_length=1000)]) -> Response:
    try:
        with svc.db.session() as s:
            create_user(s, email, role, password)
    except (UserExistsError, WeakPasswordError, ValueError) as e:
        return _page(request, svc, error=str(e), status_code=400)
    return _page(request, svc, message=f"User {email.strip().casefold()} created.")
