"""Recording platform events once (insert-on-conflict) and the job's fetch step, on SQLite and
PostgreSQL: concurrent replays make one meeting and one job; a recording and a transcript of one
platform meeting land on one meeting; the fetch step is resumable and retries transient errors."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from platform_server import PlatformServer, platform_server
from servers import postgres_schema_url
from sqlalchemy import func, select
from webhook_keys import KeyPair

from pipelines.account_state import AccountState
from pipelines.errors import TransientError
from worker.db import Database, repo
from worker.db.models import MeetingRow, RemoteSourceRow, WebhookEventRow
from worker.db_queue import DatabaseQueue
from worker.remote_inputs import fetch_sources, tracks
from worker.remote_source import Delivery, RemoteSource
from worker.services import Services
from worker.settings import Settings
from worker.storage import LocalStorage
from worker.webhooks.delivery import accept

ACCOUNT = "acct-hooks"


@pytest.fixture(params=["sqlite", "postgresql"])
def svc(request: pytest.FixtureRequest, tmp_path: Path):
    settings = Settings(data_dir=tmp_path, fetch_allow_networks=["127.0.0.1/32"])
    gen = None
    if request.param == "sqlite":
        db = Database(settings.resolved_database_url)
    else:
        gen = postgres_schema_url()
        db = Database(next(gen))
    with db.session() as s:
        repo.import_account(s, AccountState(account_id=ACCOUNT, name="Hooks Inc"))
    yield Services(settings=settings, storage=LocalStorage(tmp_path / "objects"), db=db)
    db.dispose()
    if gen is not None:
        next(gen, None)


@pytest.fixture
def srv() -> PlatformServer:
    with platform_server() as s:
        yield s


def delivery(key: str, subject: str, *sources: RemoteSource) -> Delivery:
    return Delivery(source="recording", event_key=key, subject=subject, account_id=ACCOUNT, title="t",
                    sources=list(sources) or [RemoteSource(kind="recording", url="http://127.0.0.1:9/r.m4a",
                                                           suffix=".m4a")])


def counts(svc: Services) -> tuple[int, int, int]:
    with svc.db.session() as s:
        return (s.scalar(select(func.count()).select_from(MeetingRow)) or 0,
                s.scalar(select(func.count()).select_from(WebhookEventRow)) or 0,
                s.scalar(select(func.count()).select_from(RemoteSourceRow)) or 0)


def test_ten_concurrent_replays_make_one_meeting_and_one_job(svc: Services):
    queue = DatabaseQueue(svc)
    d = delivery("evt-1", "meeting-1")
    with ThreadPoolExecutor(10) as pool:
        outcomes = list(pool.map(lambda _: accept(svc, queue, d), range(10)))
    fresh = [o for o in outcomes if not o.duplicate]
    assert len(fresh) == 1 and fresh[0].job_id and fresh[0].meeting_id
    assert counts(svc) == (1, 1, 1)


def test_recording_and_transcript_events_of_one_meeting_share_it(svc: Services):
    queue = DatabaseQueue(svc)
    rec = delivery("rec:m2", "m2")
    vtt = RemoteSource(kind="transcript", url="http://127.0.0.1:9/t.vtt", suffix=".vtt")
    tr = delivery("tr:m2", "m2", vtt)
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda k: accept(svc, queue, rec if k % 2 else tr), range(8)))
    assert len({o.meeting_id for o in outcomes if not o.duplicate}) == 1
    assert counts(svc) == (1, 2, 2)


def test_late_transcript_queues_a_finished_meeting_again(svc: Services):
    queue = DatabaseQueue(svc)
    first = accept(svc, queue, delivery("rec:m3", "m3"))
    with svc.db.session() as s:
        repo.set_meeting(s, first.meeting_id, status="done")  # type: ignore[arg-type]
    late = accept(svc, queue, delivery("tr:m3", "m3", RemoteSource(kind="transcript", url="http://x.test/t.vtt",
                                                                    suffix=".vtt")))
    assert late.meeting_id == first.meeting_id and late.job_id
    with svc.db.session() as s:
        assert repo.get_meeting(s, first.meeting_id).status == "queued"  # type: ignore[arg-type]


def test_fetch_step_is_resumable_and_retries_transient_errors(svc: Services, srv: PlatformServer):
    rec = srv.add("/r.m4a", body=b"recording bytes", bearer="tok")
    track = srv.add("/t1.m4a", body=b"track bytes", bearer="tok", fail_first=1)
    auth = {"scheme": "bearer", "token": "tok"}
    d = delivery("e4", "m4", RemoteSource(kind="recording", url=rec, suffix=".m4a", auth=auth),
                 RemoteSource(kind="track", url=track, suffix=".m4a", name="Ana", auth=auth))
    mid = accept(svc, DatabaseQueue(svc), d).meeting_id
    assert mid is not None
    with pytest.raises(TransientError, match="503"):
        fetch_sources(svc, mid)
    assert fetch_sources(svc, mid) == 1  # only the track was still missing
    assert fetch_sources(svc, mid) == 0
    assert srv.routes["/r.m4a"].calls == 1
    with svc.db.session() as s:
        m = repo.get_meeting(s, mid)
    assert m.recording_key == f"meetings/{mid}/recording.m4a"
    assert svc.storage.get_bytes(m.recording_key) == b"recording bytes"
    [(name, key)] = tracks(svc, mid)
    assert name == "Ana" and svc.storage.get_bytes(key) == b"track bytes"


def test_google_recording_resolved_through_meet_and_downloaded_from_drive(svc: Services, srv: PlatformServer,
                                                                         tmp_path: Path):
    keys = KeyPair("sa")
    creds = tmp_path / "sa.json"
    creds.write_text(json.dumps({"client_email": "reader@p.iam.gserviceaccount.com", "private_key_id": "sa",
                                 "private_key": keys.pem(), "token_uri": srv.base + "/token"}))
    svc.settings = svc.settings.model_copy(update={
        "google_credentials_file": creds, "google_meet_api_url": srv.base + "/meet/v2",
        "google_drive_api_url": srv.base + "/drive/v3"})
    srv.add("/token", body=json.dumps({"access_token": "sa-token"}).encode())
    name = "conferenceRecords/c9/recordings/r9"
    srv.add(f"/meet/v2/{name}", bearer="sa-token",
            body=json.dumps({"name": name, "driveDestination": {"file": "drive-file-9"}}).encode())
    srv.add("/drive/v3/files/drive-file-9", body=b"meet recording", bearer="sa-token")
    src = RemoteSource(kind="recording", url=f"{srv.base}/meet/v2/{name}", suffix=".mp4",
                       auth={"scheme": "google", "resolve": "recording"})
    d = delivery(f"recording:{name}", "conferenceRecords/c9", src)
    mid = accept(svc, DatabaseQueue(svc), d).meeting_id
    assert mid is not None and fetch_sources(svc, mid) == 1
    with svc.db.session() as s:
        key = repo.get_meeting(s, mid).recording_key
    assert key and svc.storage.get_bytes(key) == b"meet recording"
    assert ("GET", "/drive/v3/files/drive-file-9?alt=media", b"") in srv.requests
