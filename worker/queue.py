"""Where a meeting's job runs: the :class:`JobQueue` protocol and the backend the settings choose.

RQ on Redis when ``AW_REDIS_URL`` is set (:mod:`worker.rq_queue`, workers run
:mod:`worker.rq_job`), else in this process (:mod:`worker.local_queue`). Workers are RQ
``SimpleWorker``s: a CTranslate2 model created before ``fork()`` hangs the child, so jobs run in
the worker process itself, whose models are loaded once and reused by every job.
"""
from __future__ import annotations

from typing import Protocol

from worker.services import Services
from worker.settings import Settings


class JobQueue(Protocol):
    def enqueue_meeting(self, meeting_id: str, duration_s: float | None) -> str: ...


def queue_from_settings(settings: Settings, svc: Services | None = None) -> JobQueue:
    """RQ when ``AW_REDIS_URL`` is set, else the in-process queue."""
    if settings.redis_url:
        from worker.rq_queue import RQQueue

        return RQQueue(settings)
    from worker.local_queue import InProcessQueue

    return InProcessQueue(svc or Services.create(settings))
