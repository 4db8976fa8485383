"""End to end with real `alignment-worker worker` processes and our own redis-server.

A synthesized meeting recording goes in, a revision with provenance comes out; a worker killed
with SIGKILL mid-transcription loses no job and makes no duplicate revision; a Redis restart
loses no job; a bad recording fails its meeting with a readable reason and the worker goes on.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from servers import RedisServer, stop

from pipelines.account import Account
from pipelines.account_state import AccountState
from worker.db import Database, repo
from worker.intake import store_input
from worker.rq_queue import RQQueue
from worker.services import Services
from worker.settings import Settings
from worker.storage import LocalStorage

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SHARED = Path(__file__).parents[1] / ".." / "shared"
SYNTH = SHARED / "eval" / "synth_audio.py"
MEETING = Path(__file__).parents[1] / "samples" / "demo-meeting.json"  # dense: highlights in turns 0-7
OTHER = SHARED / "eval" / "meetings" / "dev-014.json"


@pytest.fixture(scope="module")
def recordings(tmp_path_factory) -> list[Path]:
    """The first 8 turns of the demo meeting and a dev meeting, spoken by espeak-ng voices."""
    if not SYNTH.exists() or not OTHER.exists():
        pytest.skip(f"{SHARED} not found: its eval/synth_audio.py and corpus make the recordings")
    for tool in ("espeak-ng", "ffmpeg"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} not installed: apt-get install {tool}")
    out = tmp_path_factory.mktemp("synth")
    paths = []
    for meeting in (MEETING, OTHER):
        subprocess.run([sys.executable, str(SYNTH), str(meeting), str(out),
                        "--max-turns", "8", "--format", "flac"], check=True, capture_output=True)
        paths.append(out / f"{json.loads(meeting.read_text())['id']}.flac")
    return paths


class Cluster:
    """Our Redis, a SQLite store and a storage folder shared by the test and its worker processes."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.redis = RedisServer(tmp / "redis")
        self.redis.start()
        self.queue = f"aw-e2e-{uuid.uuid4().hex[:8]}"
        self.env = {**os.environ, "AW_DATA_DIR": str(tmp / "data"), "AW_REDIS_URL": self.redis.url,
                    "AW_QUEUES": json.dumps([self.queue]), "AW_HEARTBEAT_S": "1", "AW_STALE_AFTER_S": "4",
                    "AW_JOB_RETRY_BACKOFF_S": "[1]", "AW_CPU_THREADS": "1", "HF_HUB_OFFLINE": "1"}
        self.env.pop("AW_DATABASE_URL", None)
        self.env.pop("AW_STORAGE_URL", None)
        self.settings = Settings(data_dir=tmp / "data", redis_url=self.redis.url, queues=[self.queue],
                                 job_retry_backoff_s=[1])
        self.svc = Services(settings=self.settings, storage=LocalStorage(tmp / "data" / "objects"),
                            db=Database(self.settings.resolved_database_url))
        self.workers: list[subprocess.Popen] = []
        account = Account.model_validate(json.loads(MEETING.read_text())["account"])
        with self.svc.db.session() as s:
            repo.import_account(s, AccountState.from_account(account))
        self.account_id = account.account_id

    def start_worker(self) -> subprocess.Popen:
        log = open(self.tmp / f"worker-{len(self.workers)}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen([sys.executable, "-m", "worker.cli", "worker"], env=self.env,
                                stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).parents[1])
        self.workers.append(proc)
        return proc

    def enqueue(self, path: Path, duration: float = 60.0) -> str:
        mid = repo.new_meeting_id()
        key = store_input(self.svc, mid, path)
        with self.svc.db.session() as s:
            repo.create_meeting(s, self.account_id, meeting_id=mid, filename=path.name, recording_key=key)
        job_id = RQQueue(self.settings).enqueue_meeting(mid, duration)
        with self.svc.db.session() as s:
            repo.set_meeting(s, mid, job_id=job_id)
        return mid

    def meeting(self, mid: str):  # noqa: ANN201
        with self.svc.db.session() as s:
            return repo.get_meeting(s, mid)

    def wait(self, mid: str, until, timeout: float = 300.0):  # noqa: ANN001, ANN201
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = self.meeting(mid)
            if until(m):
                return m
            time.sleep(0.05)
        logs = "\n".join(p.read_text()[-3000:] for p in sorted(self.tmp.glob("worker-*.log")))
        raise AssertionError(f"meeting {mid} stuck at {m.status}/{m.stage} {m.progress:.2f}\n{logs}")

    def revisions(self, mid: str) -> list:
        with self.svc.db.session() as s:
            return [r for r in repo.history(s, self.account_id) if r.meeting_id == mid]

    def close(self) -> None:
        for p in self.workers:
            stop(p)
        self.redis.stop()
        self.svc.db.dispose()


@pytest.fixture
def cluster(tmp_path: Path):
    c = Cluster(tmp_path)
    yield c
    c.close()


def done(m) -> bool:  # noqa: ANN001
    return m.status in ("done", "failed")


def test_killed_worker_loses_no_job_and_makes_one_revision(cluster: Cluster, recordings: list[Path]):
    first = cluster.start_worker()
    mid = cluster.enqueue(recordings[0])
    cluster.wait(mid, lambda m: m.stage == "transcribe" and m.status == "running")
    first.send_signal(signal.SIGKILL)
    first.wait()
    cluster.start_worker()
    m = cluster.wait(mid, done)
    assert (m.status, m.error) == ("done", None), m.error
    assert m.attempts >= 2
    revs = cluster.revisions(mid)
    assert len(revs) == 1
    changes = revs[0].diff["changes"]
    assert changes and all(c["source"]["meeting_id"] == mid for c in changes)
    sourced = [c["source"] for c in changes if c["source"]["highlight_id"]]
    assert sourced and all(s["speaker"] and s["start"] is not None and s["quote"] for s in sourced)


def test_redis_restart_and_bad_recording(cluster: Cluster, recordings: list[Path], tmp_path: Path):
    bad = tmp_path / "not-a-call.flac"
    bad.write_bytes(os.urandom(5000))
    worker = cluster.start_worker()
    bad_id = cluster.enqueue(bad)
    good = [cluster.enqueue(path) for path in recordings]
    cluster.wait(good[0], lambda m: m.stage == "transcribe" and m.status == "running")
    cluster.redis.restart(down_s=2.0)
    for mid in good:
        m = cluster.wait(mid, done)
        assert (m.status, m.error) == ("done", None), m.error
        assert len(cluster.revisions(mid)) <= 1  # never a duplicate revision
    assert len(cluster.revisions(good[0])) == 1
    failed = cluster.meeting(bad_id)
    assert failed.status == "failed" and failed.error.startswith("not-a-call.flac")
    assert "Traceback" not in failed.error and failed.attempts == 1
    assert worker.poll() is None, "the worker keeps serving after a bad recording and a Redis restart"
