"""Meetings the database says are in flight but whose job Redis lost: enqueue them again."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from worker.db import repo
from worker.db.models import MeetingRow
from worker.logs import event
from worker.rq_queue import RQQueue
from worker.services import Services

ACTIVE = ("queued", "running", "retrying")
"""Meeting states that mean a job should exist for it."""


def requeue_orphans(svc: Services, connection: Any, older_than_s: float) -> list[str]:
    """Enqueue again every in-flight meeting whose job Redis no longer has (a Redis that lost
    its data), so the database, not Redis, decides that no job is lost."""
    from rq.job import Job

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
