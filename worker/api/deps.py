"""Typed dependencies every route can ask for: settings, services, a DB session, storage, the
queue, and the caller's token with its scope (FastAPI full-stack template style)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from worker.api.errors import ApiError
from worker.queue import JobQueue
from worker.services import Services
from worker.settings import Settings
from worker.storage import Storage
from worker.tokens import allows, touch, verify_token


def get_services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(get_services)]


def get_settings(svc: ServicesDep) -> Settings:
    return svc.settings


def get_storage(svc: ServicesDep) -> Storage:
    return svc.storage


def get_db(svc: ServicesDep) -> Iterator[Session]:
    """A unit of work for the request: committed when the route returns (before the response is
    sent: ``scope="function"`` below, so a client that reads right after sees the write), rolled
    back on error."""
    with svc.db.session() as s:
        yield s


def get_queue(request: Request) -> JobQueue:
    return request.app.state.queue  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings)]
StorageDep = Annotated[Storage, Depends(get_storage)]
SessionDep = Annotated[Session, Depends(get_db, scope="function")]
QueueDep = Annotated[JobQueue, Depends(get_queue)]

bearer = HTTPBearer(auto_error=False, description="An API token from `alignment-worker token create`.")


@dataclass(frozen=True)
class Caller:
    """Who is calling: the token's name and scope (never the token itself)."""

    name: str
    scope: str


def get_caller(svc: ServicesDep,
               creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Caller:
    """The caller of a valid, live bearer token, else 401."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise ApiError(401, "unauthorized", "send an API token: Authorization: Bearer <token> "
                       "(create one with `alignment-worker token create`)", headers=challenge)
    if len(creds.credentials) > 200:
        raise ApiError(401, "unauthorized", "unknown or revoked API token", headers=challenge)
    with svc.db.session() as s:
        row = verify_token(s, creds.credentials)
        if row is None:
            raise ApiError(401, "unauthorized", "unknown or revoked API token", headers=challenge)
        touch(s, row)
        return Caller(name=row.name, scope=row.scope)


CurrentCaller = Annotated[Caller, Depends(get_caller)]


def needs(needed: str) -> Callable[[Caller], Caller]:
    """A dependency that lets through a caller whose scope allows ``needed``, else 403."""

    def check(caller: CurrentCaller) -> Caller:
        if not allows(caller.scope, needed):
            raise ApiError(403, "forbidden", f"this needs a {needed} token; token {caller.name!r} "
                           f"has scope {caller.scope}")
        return caller

    return check


ReadCaller = Annotated[Caller, Depends(needs("read"))]
WriteCaller = Annotated[Caller, Depends(needs("write"))]
AdminCaller = Annotated[Caller, Depends(needs("admin"))]
