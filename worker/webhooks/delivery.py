"""Record a verified platform event once, and make or extend its meeting.

Idempotency lives in the database, not in a check-then-insert: the event's (source, event key)
is inserted with ON CONFLICT DO NOTHING, so of ten concurrent copies of one delivery exactly one
inserts it and goes on; the others see it taken and answer "duplicate". The platform's meeting
(``subject``) maps to ours the same way, so a recording and a transcript that arrive as two
events end up on one meeting.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.db import repo
from worker.db.models import MeetingRow, PlatformMeetingRow, WebhookEventRow
from worker.db_queue import JOB_PREFIX, DatabaseQueue
from worker.intake import add_remote_sources, new_remote_meeting
from worker.logs import event
from worker.queue import JobQueue
from worker.remote_source import Delivery, RemoteSource
from worker.services import Services


@dataclass
class Outcome:
    """What became of a delivery: its meeting, whether it was a replay, and the job queued."""

    meeting_id: str | None
    duplicate: bool
    job_id: str | None = None


def insert_once(s: Session, table: Any, **values: Any) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when this call inserted the row."""
    from sqlalchemy.dialects import postgresql, sqlite

    pg = s.get_bind().dialect.name == "postgresql"
    stmt = (postgresql.insert(table) if pg else sqlite.insert(table)).values(**values)
    return s.execute(stmt.on_conflict_do_nothing().returning(table.id)).first() is not None


def _mapped_meeting(s: Session, source: str, subject: str) -> str | None:
    return s.scalars(select(PlatformMeetingRow.meeting_id).where(
        PlatformMeetingRow.source == source, PlatformMeetingRow.subject == subject)).first()


def _record(s: Session, d: Delivery, job_id: str | None) -> tuple[str | None, bool]:
    """(meeting id, whether a job must be queued), or (None, False) for a replayed event.
    ``job_id``: given to a meeting queued here (the database queue's job is the queued row)."""
    if not insert_once(s, WebhookEventRow, source=d.source, event_key=d.event_key):
        return None, False
    mid, queue = _new_meeting(s, d, job_id), True
    if mid is None:  # the platform meeting is ours already (its transcript after its recording)
        mid = _mapped_meeting(s, d.source, d.subject)
        assert mid is not None, "the conflicting platform meeting is committed"
        queue = _extend(s, mid, d.sources, job_id)
    s.execute(WebhookEventRow.__table__.update().where(  # type: ignore[attr-defined]
        WebhookEventRow.source == d.source, WebhookEventRow.event_key == d.event_key).values(meeting_id=mid))
    return mid, queue


def _new_meeting(s: Session, d: Delivery, job_id: str | None) -> str | None:
    """Our meeting for the platform's, made now (most events are a meeting's first); None, and
    nothing made, when another event of the same platform meeting made it first."""
    with s.begin_nested() as nested:
        new_id = new_remote_meeting(s, d.account_id, d.sources, filename=d.title, title=d.title[:300],
                                    meeting_date=d.meeting_date, job_id=job_id)
        if insert_once(s, PlatformMeetingRow, source=d.source, subject=d.subject, meeting_id=new_id):
            return new_id
        nested.rollback()
    return None


def _extend(s: Session, meeting_id: str, sources: list[RemoteSource], job_id: str | None) -> bool:
    """Attach inputs to an existing meeting; True when it must run again to use them.

    A queued meeting's job fetches them itself (the row lock orders this against the job's
    start); a finished or failed one is queued again (stages whose inputs did not change are
    reused, the account record takes the meeting once); a running one keeps them for its next run.
    """
    row = s.scalars(select(MeetingRow).where(MeetingRow.id == meeting_id).with_for_update()).one()
    add_remote_sources(s, meeting_id, sources)
    if row.status in ("done", "failed"):
        repo.set_meeting(s, meeting_id, status="queued", error=None, progress=0.0, stage=None,
                         **({"job_id": job_id} if job_id else {}))
        return True
    if row.status != "queued":
        event("webhook.input_for_running_meeting", level=30, meeting_id=meeting_id, status=row.status)
    return False


def _enqueue(svc: Services, queue: JobQueue, meeting_id: str) -> str | None:
    """Queue the job; if the queue is down the meeting stays ``queued`` without a job, which the
    workers' orphan scan queues later (the event is recorded: a platform retry is a duplicate)."""
    try:
        job_id = queue.enqueue_meeting(meeting_id, None)
    except Exception as e:  # Redis away: the database already holds the meeting as queued
        event("webhook.enqueue_failed", level=40, meeting_id=meeting_id, error=f"{type(e).__name__}: {e}")
        return None
    with svc.db.session() as s:
        repo.set_meeting(s, meeting_id, job_id=job_id)
    return job_id


def accept(svc: Services, queue: JobQueue, d: Delivery) -> Outcome:
    """Record the delivery (once) and queue the meeting's job when it needs one.

    With the database queue the queued row is the job: its id is written in the same
    transaction (one commit per delivery); RQ gets the job after the commit.
    """
    in_db = isinstance(queue, DatabaseQueue)
    preset = JOB_PREFIX + uuid.uuid4().hex[:12] if in_db else None
    with svc.db.session() as s:
        mid, needs_job = _record(s, d, preset)
    if mid is None:
        event("webhook.duplicate", source=d.source, event_key=d.event_key)
        return Outcome(meeting_id=None, duplicate=True)
    job_id = None
    if needs_job:
        job_id = preset if in_db else _enqueue(svc, queue, mid)
    event("webhook.accepted", source=d.source, event_key=d.event_key, meeting_id=mid, job_id=job_id,
          inputs=[src.kind for src in d.sources])
    return Outcome(meeting_id=mid, duplicate=False, job_id=job_id)
