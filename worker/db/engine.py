"""Engine, sessions and migrations. SQLite by default, PostgreSQL via ``AW_DATABASE_URL``."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pipelines.errors import TransientError
from worker.settings import Settings, SettingsError, get_settings

MIGRATIONS = Path(__file__).parent / "migrations"


SUPPORTED = ("sqlite", "postgresql")
"""Database dialects the service runs on (and tests against)."""


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets WAL and a busy timeout so several workers can share the file.

    Raises :class:`SettingsError` naming AW_DATABASE_URL for a URL that is not one of ours."""
    try:
        dialect = make_url(url).get_backend_name()
    except ArgumentError:
        raise SettingsError(f"AW_DATABASE_URL: {url!r} is not a database URL; use e.g. "
                            "postgresql+psycopg://user@host/db, or unset it for SQLite") from None
    if dialect not in SUPPORTED:
        raise SettingsError(f"AW_DATABASE_URL: {dialect} is not supported; use PostgreSQL "
                            "(postgresql+psycopg://user@host/db) or SQLite (unset)")
    if dialect == "sqlite":
        path = _sqlite_path(url)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise SettingsError(f"AW_DATA_DIR / AW_DATABASE_URL: cannot create {path.parent} "
                                    f"({e.strerror}); choose a writable folder") from None
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ImportError as e:  # the driver the URL names is not installed
        raise SettingsError(f"AW_DATABASE_URL: the driver for {url.split(':', 1)[0]} is not installed "
                            f"({e}); use postgresql+psycopg://...") from None


def _sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None: in memory)."""
    path = make_url(url).database
    return Path(path) if path and path != ":memory:" else None


def migrate(engine: Engine, revision: str = "head") -> None:
    """Run the packaged Alembic migrations up to ``revision`` (``upgrade head`` on start).

    Several processes may start at once on a fresh database: PostgreSQL serialises them with an
    advisory lock (migrations/env.py), SQLite with a file lock next to the database file."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    path = _sqlite_path(engine.url.render_as_string()) if engine.dialect.name == "sqlite" else None
    with _file_lock(path.with_name(path.name + ".migrate.lock") if path else None), engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


@contextmanager
def _file_lock(path: Path | None) -> Iterator[None]:
    """An exclusive lock on ``path`` held inside (nothing when None); waits for another holder."""
    if path is None:
        yield
        return
    import fcntl

    with path.open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


class Database:
    """One engine and session factory; ``session()`` commits, rolls back and maps outages."""

    def __init__(self, url: str, *, upgrade: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if upgrade:
            with self._transient():
                migrate(self.engine)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Database:
        return cls((settings or get_settings()).resolved_database_url)

    @contextmanager
    def _transient(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as e:
            raise TransientError(f"database unavailable ({self.engine.url.render_as_string()}): "
                                 f"{e.orig}") from e
        except DBAPIError as e:
            if e.connection_invalidated:
                raise TransientError(f"database connection lost: {e.orig}") from e
            raise

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on error."""
        with self._transient(), self._sessions() as s, s.begin():
            yield s

    def dispose(self) -> None:
        self.engine.dispose()
