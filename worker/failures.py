"""Failing a meeting whose job cannot go on, with a reason a user can act on."""
from __future__ import annotations

from typing import Any

from worker.db import repo
from worker.services import process_services


def fail_meeting(meeting_id: str, reason: str) -> None:
    """Mark the meeting failed with ``reason`` (its job will not run again by itself)."""
    with process_services().db.session() as s:
        repo.set_meeting(s, meeting_id, status="failed", error=reason)


def fail_lost_job(job: Any, reason: str) -> None:
    """Fail an RQ job the watchdog gave up on, and its meeting, with a readable reason."""
    from rq.job import JobStatus

    job.set_status(JobStatus.FAILED)
    if job.meta.get("meeting_id"):
        fail_meeting(job.meta["meeting_id"], f"the job failed: {reason}")
