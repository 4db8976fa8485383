"""Heartbeat and watchdog on a real redis-server: stale jobs requeued, stuck ones end their process."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import redis
from rq import Queue
from rq.job import JobStatus
from rq.registry import StartedJobRegistry
from servers import RedisServer

from worker.watchdog import HEARTBEAT_KEY, Heartbeat, recover_stale


@pytest.fixture
def conn(tmp_path):
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield redis.Redis.from_url(server.url)
    server.stop()


def started_job(conn: redis.Redis, queue: Queue):  # noqa: ANN201
    """A job as a worker leaves it when it dies mid-run: STARTED, in the started registry."""
    from rq import SimpleWorker

    job = queue.enqueue("builtins.print", "x", meta={"meeting_id": "m-1"})
    worker = SimpleWorker([queue], connection=conn)
    worker.register_birth()
    dequeued, _ = worker.dequeue_job_and_maintain_ttl(None)
    execution = worker.prepare_execution(dequeued)
    worker.prepare_job_execution(dequeued)
    assert execution is not None and job.get_status() == JobStatus.STARTED
    return job


def test_heartbeat_keeps_a_job_alive_and_its_absence_requeues_it(conn: redis.Redis):
    queue = Queue("wd", connection=conn)
    job = started_job(conn, queue)
    with Heartbeat(conn, job.id, every_s=0.1, ttl_s=2):
        assert recover_stale(conn, ["wd"], stale_after_s=0) == []
        assert conn.exists(HEARTBEAT_KEY.format(job.id))
    assert not conn.exists(HEARTBEAT_KEY.format(job.id))
    assert recover_stale(conn, ["wd"], stale_after_s=0) == [job.id]
    assert recover_stale(conn, ["wd"], stale_after_s=0) == []  # requeued exactly once
    job.refresh()
    assert job.get_status() == JobStatus.QUEUED and job.meta["recoveries"] == 1
    assert queue.job_ids == [job.id] and StartedJobRegistry("wd", connection=conn).count == 0


def test_a_job_just_started_is_given_time(conn: redis.Redis):
    queue = Queue("wd", connection=conn)
    started_job(conn, queue)
    assert recover_stale(conn, ["wd"], stale_after_s=60) == []


def test_a_job_that_keeps_killing_workers_fails(conn: redis.Redis, tmp_path):
    queue = Queue("wd", connection=conn)
    job = started_job(conn, queue)
    job.meta["recoveries"] = 2
    job.save_meta()
    assert recover_stale(conn, ["wd"], stale_after_s=0, max_recoveries=2) == [job.id]
    assert job.get_status(refresh=True) == JobStatus.FAILED
    assert queue.job_ids == []


def test_a_job_stuck_past_its_timeout_ends_its_process(conn: redis.Redis):
    code = textwrap.dedent(f"""
        import time, redis
        import worker.watchdog as wd
        conn = redis.Redis.from_url("redis://127.0.0.1:{conn.connection_pool.connection_kwargs['port']}/0")
        with wd.Heartbeat(conn, "stuck-job", every_s=0.1, ttl_s=5, timeout_s=0.3, grace_s=0.2):
            time.sleep(60)  # stands in for a native call SIGALRM cannot interrupt
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30)  # not the 60 s sleep
    assert proc.returncode == 75, proc.stderr.decode()[-2000:]
    assert b"job.stuck" in proc.stderr


def test_a_real_worker_stuck_in_native_code_past_the_job_timeout_ends_and_is_requeued(
        conn: redis.Redis, tmp_path):
    """RQ's SIGALRM timeout cannot interrupt the stuck call; the heartbeat ends the worker process
    (exit 75) and the watchdog of another worker puts the job back on its queue."""
    port = conn.connection_pool.connection_kwargs["port"]
    queue = Queue("stuck", connection=conn)
    job = queue.enqueue("stuck_job.stuck_in_native_code", 120, job_timeout=2, meta={"meeting_id": "m-9"})
    tests_dir = Path(__file__).parent
    env = {**os.environ, "AW_HEARTBEAT_S": "0.2", "AW_STUCK_GRACE_S": "1", "AW_STALE_AFTER_S": "2",
           "PYTHONPATH": os.pathsep.join([str(tests_dir), str(tests_dir.parent),
                                          os.environ.get("PYTHONPATH", "")])}
    code = ("import redis, rq, stuck_job; "  # imported before the job clock starts
            f"rq.SimpleWorker(['stuck'], connection=redis.Redis(port={port})).work(burst=True)")
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True,
                          timeout=60)  # far less than the 120 s the call would block
    assert proc.returncode == 75, proc.stderr.decode()[-2000:]
    assert b"job.stuck" in proc.stderr
    assert job.get_status(refresh=True) == JobStatus.STARTED  # RQ never saw it end
    for _ in range(100):  # the dead worker's heartbeat key runs out (TTL AW_STALE_AFTER_S)
        if not conn.exists(HEARTBEAT_KEY.format(job.id)):
            break
        time.sleep(0.1)
    assert recover_stale(conn, ["stuck"], stale_after_s=0) == [job.id]
    job.refresh()
    assert job.get_status() == JobStatus.QUEUED and job.meta["recoveries"] == 1


def test_meetings_whose_job_redis_lost_are_enqueued_again(conn: redis.Redis, tmp_path):
    from pipelines.account import Account
    from pipelines.account_state import AccountState
    from worker.db import Database, repo
    from worker.orphans import requeue_orphans
    from worker.services import Services
    from worker.settings import Settings
    from worker.storage import LocalStorage

    url = f"redis://127.0.0.1:{conn.connection_pool.connection_kwargs['port']}/0"
    settings = Settings(data_dir=tmp_path, redis_url=url, queues=["orphans"])
    svc = Services(settings=settings, storage=LocalStorage(tmp_path / "o"),
                   db=Database(settings.resolved_database_url))
    with svc.db.session() as s:
        repo.import_account(s, AccountState.from_account(Account(account_id="a", name="A")))
        repo.create_meeting(s, "a", meeting_id="lost", status="queued", job_id="meeting-lost-1")
        repo.create_meeting(s, "a", meeting_id="done", status="done", job_id="meeting-done-1")
    alive = Queue("orphans", connection=conn).enqueue("builtins.print", "x")
    with svc.db.session() as s:
        repo.create_meeting(s, "a", meeting_id="waiting", status="queued", job_id=alive.id)

    assert requeue_orphans(svc, conn, older_than_s=3600) == []  # too recent to judge
    assert requeue_orphans(svc, conn, older_than_s=0) == ["lost"]
    assert requeue_orphans(svc, conn, older_than_s=0) == []  # another worker's scan: no double
    with svc.db.session() as s:
        job_id = repo.get_meeting(s, "lost").job_id
    assert job_id != "meeting-lost-1" and job_id in Queue("orphans", connection=conn).job_ids
    svc.db.dispose()
