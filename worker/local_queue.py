"""The embedded queue: runs a meeting's job right away in this process (no Redis)."""
from __future__ import annotations

import time
import uuid

from pipelines.errors import TransientError
from worker.jobs import MeetingResult, Progress, run_meeting
from worker.services import Services
from worker.sync import deliver_now


class InProcessQueue:
    """Runs the job right away in this process, retrying transient errors with backoff."""

    def __init__(self, svc: Services, progress: Progress | None = None, sleep: bool = True,
                 job_prefix: str = "local-") -> None:
        self.svc, self.progress, self.sleep, self.job_prefix = svc, progress, sleep, job_prefix
        self.results: dict[str, MeetingResult] = {}

    def enqueue_meeting(self, meeting_id: str, duration_s: float | None = None) -> str:
        job_id = self.job_prefix + uuid.uuid4().hex[:12]
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
