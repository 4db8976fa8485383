"""``alignment-worker serve``: the HTTP API under uvicorn (plus, without Redis, one job worker)."""
from __future__ import annotations

from typing import Annotated

import typer

APP = "worker.api.app:create_app"
METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
"""prometheus-client's own variable (see worker/api/metrics.py)."""


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="uvicorn worker processes.")] = 1,
) -> None:
    """Serve the HTTP API; without AW_REDIS_URL also run queued meetings in one background process."""
    import multiprocessing
    import os
    import shutil
    import tempfile

    import uvicorn

    from worker.commands.common import services
    from worker.logs import event, setup_logging

    # before prometheus-client is imported anywhere: all processes then count into one folder
    own_metrics_dir = None
    if not os.environ.get(METRICS_DIR_ENV):
        own_metrics_dir = os.environ[METRICS_DIR_ENV] = tempfile.mkdtemp(prefix="aw-metrics-")
    svc = services()  # migrates the database once, before any worker process starts
    setup_logging(svc.settings.log_level)
    from worker.api.multipart import sweep
    from worker.api.routes.meetings import upload_dir

    if swept := sweep(upload_dir(svc.settings)):
        event("serve.stale_uploads_removed", files=swept)
    child = None
    if not svc.settings.redis_url:
        from worker import embedded

        child = multiprocessing.get_context("spawn").Process(
            target=embedded.main, args=(os.getpid(),), name="aw-embedded-worker", daemon=True)
        child.start()
        event("serve.embedded_worker", pid=child.pid)
    try:
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers,
                    log_level=svc.settings.log_level.lower(), access_log=False)
    finally:
        if child is not None and child.is_alive():
            child.terminate()  # a meeting it was running is queued again at the next start
            child.join(10)
        if own_metrics_dir:
            shutil.rmtree(own_metrics_dir, ignore_errors=True)
