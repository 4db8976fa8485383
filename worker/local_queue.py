"""The embedded queue: runs a meeting's job right away in this process (no Redis)."""
from __future__ import annotations

import os
import re
import socket
import time
import uuid

from pipelines.errors import TransientError
from worker.jobs import MeetingResult, Progress, run_meeting
from worker.services import Services
from worker.sync import deliver_now

_LOCAL_ID = re.compile(r"^[a-z]+-(\d+)@(.*)-[0-9a-f]{8}$")


def local_job_id(prefix: str = "local-") -> str:
    """``<prefix><pid>@<host>-<random>``: the job id says which process runs it, so a later run can
    tell a meeting whose process is gone (killed) from one still running."""
    return f"{prefix}{os.getpid()}@{socket.gethostname()[:60]}-{uuid.uuid4().hex[:8]}"


def local_owner(job_id: str | None) -> tuple[int, str] | None:
    """(pid, host) of an in-process job id, else None (an RQ job, or an id from before owners)."""
    m = _LOCAL_ID.match(job_id or "")
    return (int(m.group(1)), m.group(2)) if m else None


class InProcessQueue:
    """Runs the job right away in this process, retrying transient errors with backoff."""

    def __init__(self, svc: Services, progress: Progress | None = None, sleep: bool = True,
                 job_prefix: str = "local-") -> None:
        self.svc, self.progress, self.sleep, self.job_prefix = svc, progress, sleep, job_prefix
        self.results: dict[str, MeetingResult] = {}

    def enqueue_meeting(self, meeting_id: str, duration_s: float | None = None) -> str:
        # an in-process job names its process (a dead one is failed by the next run); the embedded
        # worker's jobs do not: `serve` queues them again itself when it starts
        job_id = (local_job_id() if self.job_prefix == "local-"
                  else self.job_prefix + uuid.uuid4().hex[:12])
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
