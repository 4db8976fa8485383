"""The one job worker ``serve`` starts when there is no Redis: it takes queued meetings from the
database (:mod:`worker.db_queue`) and runs them with the same job code as the RQ workers, models
loaded once in this process. Meetings it was running when it stopped are queued again at start.
"""
from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

from pipelines.errors import TransientError
from worker.api.metrics import STAGE_SECONDS
from worker.db_queue import JOB_PREFIX, claim_next, requeue_interrupted
from worker.local_queue import InProcessQueue
from worker.logs import event, setup_logging
from worker.services import Services
from worker.settings import Settings, get_settings

HEARTBEAT_FILE = "embedded-worker.json"
"""In the data dir: ``{"pid", "at"}``, rewritten every few seconds while the worker lives
(``/readyz`` reads it: without Redis, no heartbeat means no job will run)."""


def heartbeat_path(settings: Settings) -> Path:
    return settings.data_dir / HEARTBEAT_FILE


def heartbeat_every(settings: Settings) -> float:
    return max(1.0, min(settings.embedded_poll_s, 5.0))


def beat(settings: Settings, stop: threading.Event) -> None:
    """Rewrite the heartbeat file until ``stop`` (its own thread: a long job does not stall it)."""
    path = heartbeat_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"pid": os.getpid(), "at": time.time()}))
        os.replace(tmp, path)
        if stop.wait(heartbeat_every(settings)):
            return


def heartbeat_age(settings: Settings) -> float | None:
    """Seconds since the embedded worker's last heartbeat; None if it never beat here."""
    try:
        return time.time() - float(json.loads(heartbeat_path(settings).read_text())["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


class StageTimer:
    """A progress callback that observes how long each stage took (``aw_stage_duration_seconds``)."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.started = 0.0

    def __call__(self, stage: str, _fraction: float) -> None:
        if stage != self.stage:
            self.finish()
            self.stage, self.started = stage, time.monotonic()

    def finish(self) -> None:
        if self.stage is not None:
            STAGE_SECONDS.labels(stage=self.stage).observe(time.monotonic() - self.started)
            self.stage = None


def run_one(svc: Services, meeting_id: str) -> bool:
    """Run a claimed meeting to the end (retrying transient errors); True if it is done."""
    timer = StageTimer()
    try:
        InProcessQueue(svc, progress=timer, job_prefix=JOB_PREFIX).enqueue_meeting(meeting_id)
        return True
    except Exception as e:  # the meeting row says why (run_meeting failed it); the worker goes on
        event("embedded.job_failed", level=30, meeting_id=meeting_id, error=f"{type(e).__name__}: {e}")
        return False
    finally:
        timer.finish()


def work(svc: Services, stop: threading.Event, parent_pid: int | None = None) -> int:
    """Take and run queued meetings until ``stop`` is set (or the parent process is gone)."""
    moved = requeue_interrupted(svc)
    if moved:
        event("embedded.requeued", meetings=moved)
    ran = 0
    while not stop.is_set():
        if parent_pid is not None and os.getppid() != parent_pid:
            event("embedded.parent_gone", level=30)
            break
        try:
            meeting_id = claim_next(svc)
        except TransientError as e:
            event("embedded.database_unavailable", level=30, error=str(e))
            meeting_id = None
        except Exception as e:  # keep the worker alive: the row stays queued for the next look
            event("embedded.claim_failed", level=40, error=f"{type(e).__name__}: {e}", exc_info=True)
            meeting_id = None
        if meeting_id is None:
            stop.wait(svc.settings.embedded_poll_s)
            continue
        run_one(svc, meeting_id)
        ran += 1
    return ran


def main(parent_pid: int | None = None, settings: Settings | None = None) -> None:
    """Entry point of the background process (``serve`` starts it with ``multiprocessing``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: serve ends us
    cfg = settings or get_settings()
    setup_logging(cfg.log_level)
    event("embedded.started", poll_s=cfg.embedded_poll_s)
    svc = Services.create(cfg)
    stop = threading.Event()
    threading.Thread(target=beat, args=(cfg, stop), daemon=True, name="aw-heartbeat").start()
    try:
        work(svc, stop, parent_pid)
    finally:
        stop.set()
