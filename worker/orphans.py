"""Meetings the database says are in flight but whose job Redis lost: enqueue them again."""
from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from worker.db import repo
from worker.db.models import MeetingRow
from worker.local_queue import local_owner
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


def fail_dead_local(svc: Services) -> list[str]:
    """Fail every in-flight meeting whose in-process job ran on this host in a process that no
    longer exists (``process`` killed by SIGKILL, or the machine's power), so none stays
    ``running`` forever; run by ``process`` and by each worker on start. Finished stages are kept."""
    host = socket.gethostname()[:60]
    with svc.db.session() as s:
        rows = s.execute(select(MeetingRow.id, MeetingRow.job_id)
                         .where(MeetingRow.status.in_(ACTIVE), MeetingRow.job_id.like("%@%"))).all()
    failed = []
    for mid, job_id in rows:
        owner = local_owner(job_id)
        if owner is None or owner[1] != host or _alive(owner[0]):
            continue
        with svc.db.session() as s:
            repo.set_meeting(s, mid, status="failed",
                             error=f"the process that ran it (pid {owner[0]} on {host}) ended before the job "
                                   "finished; run it again, finished stages are reused")
        event("meeting.failed_dead_process", level=30, meeting_id=mid, pid=owner[0])
        failed.append(mid)
    return failed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
