"""The account store: SQLAlchemy models, Alembic migrations shipped in the package, a repository."""
from __future__ import annotations

from worker.db.engine import Database, migrate

__all__ = ["Database", "migrate"]
