"""An RQ job stuck in native code: SIGALRM (RQ's job timeout) cannot reach it (tests only)."""
from __future__ import annotations

import ctypes
import signal

from rq import get_current_job

from worker.rq_job import job_heartbeat
from worker.settings import get_settings


def stuck_in_native_code(seconds: int) -> None:
    """Run under the same heartbeat as a meeting job, then block in libc's sleep() with SIGALRM
    blocked in this thread, as a CTranslate2 call that never returns would be."""
    job = get_current_job()
    assert job is not None
    with job_heartbeat(job, get_settings()):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        ctypes.CDLL(None).sleep(seconds)  # releases the GIL, like native inference
