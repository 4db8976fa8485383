"""Work a page starts and does not wait for: enrolling a confirmed speaker's voice.

With Redis (``AW_REDIS_URL``) it is an RQ job taken by a worker; without it, one background
thread of this process runs it (meeting jobs go through the API's queue instead)."""
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
