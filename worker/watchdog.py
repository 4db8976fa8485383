"""Heartbeat and watchdog: no meeting job is lost to a killed worker or a job stuck in native code.

* While a job runs, a thread in its worker refreshes ``aw:hb:<job id>`` (TTL ``stale_after_s``)
  every ``heartbeat_s``. A worker killed with SIGKILL (or by the OOM killer) stops refreshing.
* RQ's SIGALRM timeout cannot interrupt a job stuck inside native code (CTranslate2, torch). The
  heartbeat thread notices the job outliving its timeout and ends the process, so the job is
  recovered like a killed worker's (a supervisor restarts the worker).
* Every worker runs a watchdog thread that scans the StartedJobRegistry of its queues; a job with
  no heartbeat for ``stale_after_s`` is taken out of the registry (ZREM: exactly one watchdog
  wins) and put back on its queue. The job resumes from its last finished stage; after
  ``AW_WATCHDOG_MAX_RECOVERIES`` the job fails instead (a recording that kills every worker).
"""
from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime

import redis
from rq import Queue
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.utils import parse_composite_key

from worker.failures import fail_lost_job
from worker.logs import event
from worker.settings import default

HEARTBEAT_KEY = "aw:hb:{}"


class Heartbeat:
    """Context manager run around one job: refreshes its heartbeat key from a thread."""

    def __init__(self, connection: redis.Redis, job_id: str, every_s: float, ttl_s: float,
                 timeout_s: float | None = None, grace_s: float = default("stuck_grace_s")) -> None:
        self.conn, self.key = connection, HEARTBEAT_KEY.format(job_id)
        self.every, self.ttl, self.timeout = every_s, max(1, int(ttl_s)), timeout_s
        self.grace = grace_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"aw-heartbeat-{job_id}", daemon=True)
        self._started = time.monotonic()

    def __enter__(self) -> Heartbeat:
        self._beat()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            self.conn.delete(self.key)
        except redis.RedisError:
            pass

    def _beat(self) -> None:
        try:
            self.conn.set(self.key, os.getpid(), ex=self.ttl)
        except redis.RedisError as e:  # Redis restarting: keep going, the job itself does not need it
            event("heartbeat.failed", level=30, error=str(e))

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            if self.timeout and time.monotonic() - self._started > self.timeout + self.grace:
                event("job.stuck", level=40, seconds=round(time.monotonic() - self._started),
                      action="ending the worker process; the watchdog requeues the job")
                os._exit(75)  # SIGALRM could not interrupt it: native code. EX_TEMPFAIL.
            self._beat()


def recover_stale(connection: redis.Redis, queue_names: list[str], stale_after_s: float,
                  max_recoveries: int = default("watchdog_max_recoveries")) -> list[str]:
    """Requeue started jobs whose heartbeat is gone; returns the ids requeued (or failed)."""
    recovered = []
    for name in queue_names:
        registry = StartedJobRegistry(name, connection=connection)
        entries: list[bytes] = connection.zrange(registry.key, 0, -1)  # type: ignore[assignment]
        for entry in entries:
            job_id, _ = parse_composite_key(entry.decode())
            if _alive(connection, job_id, stale_after_s):
                continue
            if connection.zrem(registry.key, entry):  # this watchdog won the job
                _requeue(connection, name, job_id, max_recoveries)
                recovered.append(job_id)
    return recovered


def _alive(connection: redis.Redis, job_id: str, stale_after_s: float) -> bool:
    if connection.exists(HEARTBEAT_KEY.format(job_id)):
        return True
    try:
        job = Job.fetch(job_id, connection=connection)
    except Exception:  # a vanished job: nothing to keep alive
        return False
    started = job.started_at or job.last_heartbeat
    if started is None:
        return False
    age = (datetime.now(UTC) - started.replace(tzinfo=started.tzinfo or UTC)).total_seconds()
    return age < stale_after_s  # just started: its first heartbeat may still be on its way


def _requeue(connection: redis.Redis, queue_name: str, job_id: str, max_recoveries: int) -> None:
    try:
        job = Job.fetch(job_id, connection=connection)
    except Exception:
        return
    if job.get_status() != JobStatus.STARTED:
        return
    job.meta["recoveries"] = int(job.meta.get("recoveries", 0)) + 1
    job.save_meta()
    meeting_id = job.meta.get("meeting_id")
    if job.meta["recoveries"] > max_recoveries:
        fail_lost_job(job, f"its worker was lost {max_recoveries + 1} times (killed, out of memory or "
                      "stuck)")
        event("watchdog.gave_up", job_id=job_id, meeting_id=meeting_id)
        return
    job.started_at = None
    Queue(queue_name, connection=connection)._enqueue_job(job, at_front=True)
    event("watchdog.requeued", job_id=job_id, meeting_id=meeting_id, recoveries=job.meta["recoveries"])
