"""Password hashing for local users: scrypt (memory-hard, in the standard library), salted."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
"""scrypt cost: 32 MiB of memory and ~0.1 s per hash (OWASP's minimum is N=2^17 with r=8 at 128 MiB,
or N=2^15 r=8 p=3 when memory is short; we take p=1 because sign-in is rare and the box is shared)."""

MIN_PASSWORD_LENGTH = 10


class WeakPasswordError(ValueError):
    """A password too short to be worth hashing."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash``, all the parameters stored so they can be raised later."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=2**26, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the stored hash (constant-time compare; False for a bad hash)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), maxmem=2**26, dklen=len(want))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)
