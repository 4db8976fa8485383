"""Alembic environment: runs on the connection handed over by ``worker.db.migrate``."""
from __future__ import annotations

from alembic import context
from sqlalchemy import text

from worker.db.models import Base

config = context.config
connection = config.attributes["connection"]

context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
if connection.dialect.name == "postgresql":
    # several workers may start at once: one migrates, the others wait here
    connection.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
with context.begin_transaction():
    context.run_migrations()
