"""What a job, a command or a route needs from the outside world: settings, storage, database."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from worker.db import Database
from worker.settings import Settings, get_settings
from worker.storage import Storage, storage_from_settings


@dataclass
class Services:
    """Settings, object storage and the database; built once per process."""

    settings: Settings
    storage: Storage
    db: Database

    @classmethod
    def create(cls, settings: Settings | None = None) -> Services:
        s = settings or get_settings()
        return cls(settings=s, storage=storage_from_settings(s), db=Database.from_settings(s))


@lru_cache(maxsize=1)
def process_services() -> Services:
    """The process-wide services (a worker reuses one engine and one storage client)."""
    return Services.create()
