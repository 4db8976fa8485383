"""Queues for meeting jobs: RQ on Redis (``AW_REDIS_URL``), or in-process without it.

Workers are RQ ``SimpleWorker``s: a CTranslate2 model created before ``fork()`` hangs the child,
so jobs run in the worker process itself, whose models are loaded once and reused by every job.
"""
from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any, Protocol

from pipelines.errors import TransientError
from worker.jobs import MeetingResult, Progress, Services, process_services, run_meeting
from worker.logs import event
from worker.settings import Settings
from worker.sync import deliver_now

JOB_FUNC = "worker.queue.meeting_job"


def job_timeout(settings: Settings, duration_s: float | None) -> int:
    """Seconds a meeting's job may run: a base plus an allowance per minute of audio."""
    minutes = (duration_s or 0.0) / 60.0
    return int(settings.job_timeout_base_s + settings.job_timeout_per_audio_min * minutes)


class JobQueue(Protocol):
    def enqueue_meeting(self, meeting_id: str, duration_s: float | None) -> str: ...


class InProcessQueue:
    """Runs the job right away in this process, retrying transient errors with backoff."""

    def __init__(self, svc: Services, progress: Progress | None = None, sleep: bool = True) -> None:
        self.svc, self.progress, self.sleep = svc, progress, sleep
        self.results: dict[str, MeetingResult] = {}

    def enqueue_meeting(self, meeting_id: str, duration_s: float | None = None) -> str:
        job_id = "local-" + uuid.uuid4().hex[:12]
        waits = list(self.svc.settings.job_retry_backoff_s) or [0]
        for attempt in range(self.svc.settings.job_retries + 1):
            retry = attempt < self.svc.settings.job_retries
            try:
                result = run_meeting(meeting_id, self.svc, self.progress, job_id=job_id, will_retry=retry)
                self.results[job_id] = result
                deliver_now(self.svc, result.update.account_id)  # no worker here: one quick try
                return job_id
            except TransientError:
                if not retry:
                    raise
                if self.sleep:
                    time.sleep(waits[min(attempt, len(waits) - 1)])
        raise AssertionError("unreachable")


class RQQueue:
    """Puts meeting jobs on an RQ queue (any number of workers on any machines take them)."""

    def __init__(self, settings: Settings, queue_name: str | None = None, connection: Any = None) -> None:
        from redis import Redis
        from rq import Queue

        self.settings = settings
        self.connection = connection or Redis.from_url(settings.redis_url)  # type: ignore[arg-type]
        self.queue = Queue(queue_name or settings.queues[0], connection=self.connection)

    def enqueue_meeting(self, meeting_id: str, duration_s: float | None) -> str:
        from rq import Retry

        retry = Retry(max=self.settings.job_retries, interval=self.settings.job_retry_backoff_s) \
            if self.settings.job_retries > 0 else None
        job = self.queue.enqueue(
            JOB_FUNC, meeting_id, job_id=f"meeting-{meeting_id}-{uuid.uuid4().hex[:8]}",
            job_timeout=job_timeout(self.settings, duration_s), retry=retry,
            result_ttl=self.settings.job_result_ttl_s, failure_ttl=self.settings.job_failure_ttl_s,
            meta={"meeting_id": meeting_id, "stage": "queued", "progress": 0.0},
            description=f"meeting {meeting_id}")
        event("job.enqueued", meeting_id=meeting_id, job_id=job.id, queue=self.queue.name,
              timeout=job.timeout)
        return job.id


def queue_from_settings(settings: Settings, svc: Services | None = None) -> JobQueue:
    if settings.redis_url:
        return RQQueue(settings)
    return InProcessQueue(svc or Services.create(settings))


def meeting_job(meeting_id: str) -> dict[str, Any]:
    """The RQ entry point: run the meeting with a heartbeat, progress in ``job.meta``."""
    from rq import get_current_job
    from rq.timeouts import JobTimeoutException

    from worker.watchdog import Heartbeat

    job = get_current_job()
    assert job is not None, "meeting_job runs inside an RQ worker"
    svc = process_services()
    cfg = svc.settings
    with Heartbeat(job.connection, job.id, cfg.heartbeat_s, cfg.stale_after_s, job.timeout,
                   grace_s=cfg.stuck_grace_s):
        try:
            result = run_meeting(meeting_id, svc, _meta_progress(job), job_id=job.id,
                                 will_retry=bool(job.retries_left))
        except TransientError:
            raise  # RQ retries it with backoff (Retry on enqueue) while retries are left
        except JobTimeoutException:
            job.retries_left = 0
            _fail_meeting(meeting_id, f"the job ran out of time ({job.timeout} s); raise "
                          "AW_JOB_TIMEOUT_PER_AUDIO_MIN or use a faster AW_WHISPER_MODEL")
            raise
        except Exception:
            job.retries_left = 0  # a bad recording (or a bug) fails the same way every time
            raise
    return {"meeting_id": meeting_id, "revision": result.revision, "resumed": result.resumed}


def _meta_progress(job: Any) -> Progress:
    last = [0.0]

    def update(stage: str, fraction: float) -> None:
        if fraction - last[0] < 0.01 and fraction < 1.0 and job.meta.get("stage") == stage:
            return
        last[0] = fraction
        job.meta.update(stage=stage, progress=round(fraction, 4))
        try:
            job.save_meta()
        except Exception as e:  # noqa: BLE001 - Redis away for a moment: progress is best effort
            event("progress.not_saved", level=30, error=str(e))

    return update


def fail_lost_job(job: Any, reason: str) -> None:
    """Fail a job the watchdog gave up on, and its meeting, with a readable reason."""
    from rq.job import JobStatus

    job.set_status(JobStatus.FAILED)
    if job.meta.get("meeting_id"):
        _fail_meeting(job.meta["meeting_id"], f"the job failed: {reason}")


def _fail_meeting(meeting_id: str, reason: str) -> None:
    from worker.db import repo

    with process_services().db.session() as s:
        repo.set_meeting(s, meeting_id, status="failed", error=reason)


ACTIVE = ("queued", "running", "retrying")


def requeue_orphans(svc: Services, connection: Any, older_than_s: float) -> list[str]:
    """Meetings the database says are in flight but whose job Redis no longer has (a Redis that
    lost its data): enqueue them again, so the database, not Redis, decides that no job is lost."""
    from datetime import UTC, datetime

    from rq.job import Job
    from sqlalchemy import select

    from worker.db import repo
    from worker.db.models import MeetingRow

    now = datetime.now(UTC)
    with svc.db.session() as s:
        rows = s.execute(select(MeetingRow.id, MeetingRow.job_id, MeetingRow.updated_at, MeetingRow.duration)
                         .where(MeetingRow.status.in_(ACTIVE))).all()
    requeued = []
    for mid, job_id, updated, duration in rows:
        age = (now - updated.replace(tzinfo=updated.tzinfo or UTC)).total_seconds()
        if age < older_than_s or (job_id and Job.exists(job_id, connection=connection)):
            continue
        if not connection.set(f"aw:orphan:{mid}", 1, nx=True, ex=max(1, int(older_than_s))):
            continue  # another worker is requeueing it
        new_id = RQQueue(svc.settings, connection=connection).enqueue_meeting(mid, duration)
        with svc.db.session() as s:
            repo.set_meeting(s, mid, job_id=new_id, status="queued")
        event("meeting.requeued_orphan", meeting_id=mid, old_job_id=job_id, job_id=new_id)
        requeued.append(mid)
    return requeued


def store_recording(svc: Services, meeting_id: str, path: Path, kind: str = "recording") -> str:
    """Copy an input file into storage under the meeting; returns its key."""
    key = f"meetings/{meeting_id}/{kind}{path.suffix.lower()}"
    svc.storage.put_file(key, path)
    return key
