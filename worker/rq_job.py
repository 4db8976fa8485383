"""The RQ entry point of a meeting's job: heartbeat around it, progress into ``job.meta``."""
from __future__ import annotations

from typing import Any

from pipelines.errors import TransientError
from worker.failures import fail_meeting
from worker.jobs import Progress, run_meeting
from worker.logs import event
from worker.services import process_services
from worker.settings import Settings
from worker.watchdog import Heartbeat


def meeting_job(meeting_id: str) -> dict[str, Any]:
    """Run the meeting in this RQ worker; transient errors are left to RQ's retry."""
    from rq import get_current_job
    from rq.timeouts import JobTimeoutException

    job = get_current_job()
    assert job is not None, "meeting_job runs inside an RQ worker"
    svc = process_services()
    with job_heartbeat(job, svc.settings):
        try:
            result = run_meeting(meeting_id, svc, _meta_progress(job), job_id=job.id,
                                 will_retry=bool(job.retries_left))
        except TransientError:
            raise  # RQ retries it with backoff (Retry on enqueue) while retries are left
        except JobTimeoutException:
            job.retries_left = 0
            fail_meeting(meeting_id, f"the job ran out of time ({job.timeout} s); raise "
                         "AW_JOB_TIMEOUT_PER_AUDIO_MIN or use a faster AW_WHISPER_MODEL")
            raise
        except Exception:
            job.retries_left = 0  # a bad recording (or a bug) fails the same way every time
            raise
    return {"meeting_id": meeting_id, "revision": result.revision, "resumed": result.resumed}


def job_heartbeat(job: Any, settings: Settings) -> Heartbeat:
    """The heartbeat around a running job: proves it alive, and ends this process when the job
    is stuck past its timeout in native code that RQ's SIGALRM cannot interrupt."""
    return Heartbeat(job.connection, job.id, settings.heartbeat_s, settings.stale_after_s, job.timeout,
                     grace_s=settings.stuck_grace_s)


def _meta_progress(job: Any) -> Progress:
    last = [0.0]

    def update(stage: str, fraction: float) -> None:
        if fraction - last[0] < 0.01 and fraction < 1.0 and job.meta.get("stage") == stage:
            return
        last[0] = fraction
        job.meta.update(stage=stage, progress=round(fraction, 4))
        try:
            job.save_meta()
        except Exception as e:  # Redis away for a moment: progress is best effort
            event("progress.not_saved", level=30, error=str(e))

    return update
