"""The database as the embedded queue: atomic claims, oldest first, interrupted runs queued again."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import postgres_schema_url

from worker.commands.common import ensure_account, load_account_file
from worker.db import Database, repo
from worker.db_queue import DatabaseQueue, claim, claim_next, requeue_interrupted
from worker.intake import new_meeting
from worker.services import Services
from worker.settings import Settings
from worker.storage import LocalStorage

SAMPLES = Path(__file__).parents[1] / "samples"


@pytest.fixture(params=["sqlite", "postgres"])
def svc(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    urls = postgres_schema_url() if request.param == "postgres" else None
    url = next(urls) if urls else f"sqlite:///{tmp_path / 'q.db'}"
    s = Services(settings=Settings(data_dir=tmp_path), storage=LocalStorage(tmp_path / "objects"),
                 db=Database(url))
    ensure_account(s, load_account_file(SAMPLES / "demo-account.json"))
    yield s
    s.db.dispose()
    if urls:
        next(urls, None)


def queued(svc: Services, n: int) -> list[str]:
    return [new_meeting(svc, "acct-bluefin", SAMPLES / "demo-meeting.json") for _ in range(n)]


def test_claims_take_the_oldest_once(svc: Services):
    ids = queued(svc, 3)
    job = DatabaseQueue(svc).enqueue_meeting(ids[0], 12.5)
    with svc.db.session() as s:
        m = repo.get_meeting(s, ids[0])
        assert (m.status, m.job_id, m.duration) == ("queued", job, 12.5)
    assert [claim_next(svc) for _ in range(4)] == [*ids, None]
    with svc.db.session() as s:
        assert not claim(s, ids[0]), "a running meeting cannot be claimed again"


def test_concurrent_claims_of_one_meeting_give_it_to_one(svc: Services):
    (mid,) = queued(svc, 1)
    wins: list[bool] = []
    barrier = threading.Barrier(8)

    def take() -> None:
        barrier.wait()
        with svc.db.session() as s:
            wins.append(claim(s, mid))

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]


def test_interrupted_embedded_runs_are_queued_again_and_others_are_not(svc: Services):
    a, b, c = queued(svc, 3)
    with svc.db.session() as s:
        repo.set_meeting(s, a, status="running", job_id="embedded-1")
        repo.set_meeting(s, b, status="retrying", job_id="embedded-2")
        repo.set_meeting(s, c, status="running", job_id="local-3")  # a CLI `process` running now
    assert sorted(requeue_interrupted(svc)) == sorted([a, b])
    with svc.db.session() as s:
        assert [repo.get_meeting(s, m).status for m in (a, b, c)] == ["queued", "queued", "running"]
