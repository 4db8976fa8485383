"""Bearer tokens of the HTTP API: created once (shown once), stored as a SHA-256, scoped.

A token is 32 random bytes (``aw_`` + URL-safe base64), so its SHA-256 needs no salt or slow
hash: nobody can guess a preimage. Lookup is by hash; the stored hash is then compared again with
``hmac.compare_digest`` so that no comparison of secret material depends on where it differs.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from worker.db.models import ApiTokenRow, utcnow

SCOPES = ("read", "write", "admin")
"""Each scope may do everything the ones before it may."""


class TokenError(ValueError):
    """A token name or scope that cannot be used (duplicate name, unknown scope)."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def allows(scope: str, needed: str) -> bool:
    """Whether a token of ``scope`` may do what needs ``needed``."""
    return scope in SCOPES and SCOPES.index(scope) >= SCOPES.index(needed)


def create_token(s: Session, name: str, scope: str = "read") -> tuple[ApiTokenRow, str]:
    """A new token row and the token itself (the only time it exists in clear)."""
    if scope not in SCOPES:
        raise TokenError(f"scope {scope!r}: use one of {', '.join(SCOPES)}")
    if not name.strip() or len(name) > 100:
        raise TokenError("a token name is 1 to 100 characters")
    token = "aw_" + secrets.token_urlsafe(32)
    row = ApiTokenRow(name=name, scope=scope, token_hash=hash_token(token), prefix=token[:10])
    try:
        with s.begin_nested():
            s.add(row)
            s.flush()
    except IntegrityError:
        raise TokenError(f"a token named {name!r} exists: revoke it or pick another name") from None
    return row, token


def list_tokens(s: Session) -> list[ApiTokenRow]:
    return list(s.scalars(select(ApiTokenRow).order_by(ApiTokenRow.id)))


def revoke_token(s: Session, name: str) -> bool:
    """Revoke the token called ``name``; False if there is no such live token."""
    done = s.execute(update(ApiTokenRow).where(ApiTokenRow.name == name, ApiTokenRow.revoked_at.is_(None))
                     .values(revoked_at=utcnow()))
    return bool(getattr(done, "rowcount", 0))


def verify_token(s: Session, token: str) -> ApiTokenRow | None:
    """The live token row for ``token``, or None (unknown or revoked)."""
    digest = hash_token(token)
    row = s.scalars(select(ApiTokenRow).where(ApiTokenRow.token_hash == digest)).first()
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.token_hash, digest):
        return None
    return row


def touch(s: Session, row: ApiTokenRow, now: datetime | None = None) -> None:
    """Record a use (at most once a minute, to keep reads from writing on every request)."""
    now = now or utcnow()
    last = row.last_used_at
    if last is not None and last.tzinfo is None:  # SQLite hands back naive datetimes
        last = last.replace(tzinfo=now.tzinfo)
    if last is None or (now - last).total_seconds() > 60:
        row.last_used_at = now
