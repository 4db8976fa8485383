"""The review pages on the API app over a fresh SQLite store and storage folder (and a live
uvicorn server for the browser tests)."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from servers import free_port

from worker.db import Database
from worker.services import Services
from worker.settings import Settings
from worker.storage import LocalStorage


def page_services(tmp: Path, **settings: object) -> Services:
    cfg = Settings(data_dir=tmp / "data", **settings)  # type: ignore[arg-type]
    return Services(settings=cfg, storage=LocalStorage(tmp / "data" / "objects"),
                    db=Database(cfg.resolved_database_url))


def web_app(svc: Services) -> FastAPI:
    """The API app (which serves the pages at /) over these services."""
    from worker.api.app import create_app

    return create_app(svc)


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
