"""Work the pages start and do not wait for: a meeting's job, enrolling a confirmed voice.

With Redis (``AW_REDIS_URL``) a meeting goes on the RQ queue like any other; without it, one
background thread of this process runs the work in order (the embedded default)."""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from worker.logs import event
from worker.services import Services

_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aw-web-job")
    return _pool


def _logged(name: str, fn: Any, *args: Any) -> Future[Any]:
    def run() -> Any:
        try:
            return fn(*args)
        except Exception as e:  # the meeting row already says why; keep the thread alive
            event(f"{name}.failed", level=40, error=f"{type(e).__name__}: {e}")
            return None

    return _executor().submit(run)


def start_meeting(svc: Services, meeting_id: str, duration_s: float | None) -> Future[Any] | str:
    """Queue the meeting's job: an RQ job id with Redis, else a future of the in-process run."""
    if svc.settings.redis_url:
        from worker.rq_queue import RQQueue

        return RQQueue(svc.settings).enqueue_meeting(meeting_id, duration_s)
    from worker.local_queue import InProcessQueue

    return _logged("job", InProcessQueue(svc).enqueue_meeting, meeting_id, duration_s)


def enroll_later(svc: Services, meeting_id: str, label: str) -> Future[Any] | str:
    """Enroll a confirmed speaker's voice after the response (it decodes audio and runs the voice
    model): on an RQ worker with Redis, else on the background thread."""
    if svc.settings.redis_url:
        from redis import Redis
        from rq import Queue

        queue = Queue(svc.settings.queues[0], connection=Redis.from_url(svc.settings.redis_url))
        return str(queue.enqueue("worker.voices.enroll_job", meeting_id, label).id)
    from worker.voices import enroll_speaker

    return _logged("enroll", enroll_speaker, svc, meeting_id, label)
