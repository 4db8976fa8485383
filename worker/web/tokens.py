"""Sign-in with an API token: the token's holder and the page role its scopes give."""
from __future__ import annotations

from worker.services import Services


def token_role(svc: Services, token: str) -> tuple[str, str] | None:
    """(principal, role) for a valid API token, else None. API tokens live on the ``api`` branch
    (worker/api); until it is merged no token is valid here."""
    return None
