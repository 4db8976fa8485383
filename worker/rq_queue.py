"""Meeting jobs on an RQ queue in Redis (``AW_REDIS_URL``), taken by any number of workers."""
from __future__ import annotations

import uuid
from typing import Any

from worker.logs import event
from worker.settings import Settings

JOB_FUNC = "worker.rq_job.meeting_job"
"""The function RQ workers run for a meeting (by name: the enqueuing process needs no job code)."""


def job_timeout(settings: Settings, duration_s: float | None) -> int:
    """Seconds a meeting's job may run: a base plus an allowance per minute of audio."""
    minutes = (duration_s or 0.0) / 60.0
    return int(settings.job_timeout_base_s + settings.job_timeout_per_audio_min * minutes)


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
