"""Sign-in with an API token: the token's name and the page role its scope gives."""
from __future__ import annotations

from worker.services import Services
from worker.tokens import touch, verify_token

ROLE_OF_SCOPE = {"read": "reader", "write": "csm", "admin": "admin"}
"""A token signs in with the role its scope allows: read-only, reviewing, or administering."""


def token_role(svc: Services, token: str) -> tuple[str, str] | None:
    """(principal, role) for a valid, live API token, else None."""
    if len(token) > 200:
        return None
    with svc.db.session() as s:
        row = verify_token(s, token)
        if row is None:
            return None
        touch(s, row)
        return f"token:{row.name}", ROLE_OF_SCOPE[row.scope]
