"""Local users and signed-in browser sessions; every function takes a session of ``Database.session()``."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from worker.db.models import UserRow, WebSessionRow
from worker.passwords import hash_password, verify_password

ROLES = ("csm", "admin")
"""Roles of local users; a session signed in with a read-only API token has the role ``reader``."""
ROLE_SCOPES = {"reader": "read", "csm": "write", "admin": "admin"}
"""The API token scope each page role has: the pages check the same scopes as the API routes."""
DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
"""Checked against when the email is unknown, so a wrong email takes as long as a wrong password."""


class UserExistsError(ValueError):
    """An email that already has a user."""


@dataclass(frozen=True)
class WebSession:
    """Who a browser is signed in as, and the CSRF token its forms must carry."""

    principal: str
    role: str
    csrf: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def scope(self) -> str:
        return ROLE_SCOPES.get(self.role, "read")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normal_email(email: str) -> str:
    return email.strip().casefold()


def create_user(s: Session, email: str, role: str, password: str) -> UserRow:
    """A new local user with a hashed password; raises on a bad role, a short password, a duplicate."""
    if role not in ROLES:
        raise ValueError(f"role {role!r}: use one of {', '.join(ROLES)}")
    email = normal_email(email)
    if "@" not in email or len(email) > 320:
        raise ValueError(f"{email!r} is not an email address")
    if s.scalars(select(UserRow).where(UserRow.email == email)).first() is not None:
        raise UserExistsError(f"a user {email} already exists")
    row = UserRow(email=email, role=role, password_hash=hash_password(password))
    s.add(row)
    s.flush()
    return row


def authenticate(s: Session, email: str, password: str) -> UserRow | None:
    """The user if the password is theirs, else None (same work either way)."""
    row = s.scalars(select(UserRow).where(UserRow.email == normal_email(email))).first()
    ok = verify_password(password, row.password_hash if row else DUMMY_HASH)
    return row if row is not None and ok else None


def start_session(s: Session, principal: str, role: str, hours: float) -> str:
    """A new browser session; returns the cookie token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    s.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
    s.add(WebSessionRow(token_hash=_digest(token), principal=principal, role=role,
                        csrf=secrets.token_urlsafe(32), expires_at=now + timedelta(hours=hours)))
    s.flush()
    return token


def session_for(s: Session, token: str | None) -> WebSession | None:
    """The live session of a cookie token, or None (unknown or expired)."""
    if not token:
        return None
    row = s.get(WebSessionRow, _digest(token))
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
    if expires < datetime.now(UTC):
        return None
    return WebSession(principal=row.principal, role=row.role, csrf=row.csrf)


def end_session(s: Session, token: str | None) -> None:
    if token:
        s.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == _digest(token)))
