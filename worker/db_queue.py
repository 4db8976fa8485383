"""The database as the queue (no Redis): a ``queued`` meeting row is a job waiting.

``serve`` without ``AW_REDIS_URL`` enqueues with :class:`DatabaseQueue` (the row is already
``queued``: nothing more to write) and starts one :mod:`worker.embedded` process that claims
queued rows one at a time with a conditional UPDATE, so a meeting queued while that process was
down is run when it starts again.
"""
from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from worker.db.models import MeetingRow
from worker.services import Services

JOB_PREFIX = "embedded-"


class DatabaseQueue:
    """Leaves the meeting ``queued`` for the embedded worker; returns the job id it will get."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def enqueue_meeting(self, meeting_id: str, duration_s: float | None = None) -> str:
        job_id = JOB_PREFIX + uuid.uuid4().hex[:12]
        with self.svc.db.session() as s:
            s.execute(update(MeetingRow).where(MeetingRow.id == meeting_id, MeetingRow.status == "queued")
                      .values(job_id=job_id, duration=duration_s))
        return job_id


def claim(s: Session, meeting_id: str) -> bool:
    """Take a queued meeting for this worker; False if another took it first (atomic)."""
    done = s.execute(update(MeetingRow).where(MeetingRow.id == meeting_id, MeetingRow.status == "queued")
                     .values(status="running"))
    return bool(getattr(done, "rowcount", 0))


def claim_next(svc: Services) -> str | None:
    """The oldest queued meeting, claimed; None when nothing waits."""
    with svc.db.session() as s:
        ids = s.scalars(select(MeetingRow.id).where(MeetingRow.status == "queued")
                        .order_by(MeetingRow.created_at, MeetingRow.id).limit(5)).all()
    for meeting_id in ids:
        with svc.db.session() as s:
            if claim(s, meeting_id):
                return meeting_id
    return None


def requeue_interrupted(svc: Services) -> list[str]:
    """Meetings an embedded worker was running when it stopped go back to ``queued`` (at start:
    only one embedded worker runs per database, so none of them is running now)."""
    with svc.db.session() as s:
        ids = list(s.scalars(select(MeetingRow.id).where(
            MeetingRow.status.in_(("running", "retrying")), MeetingRow.job_id.like(JOB_PREFIX + "%"))))
        if ids:
            s.execute(update(MeetingRow).where(MeetingRow.id.in_(ids)).values(status="queued"))
    return ids
