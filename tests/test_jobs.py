"""The meeting job in-process: stages, artifacts, resume, idempotent update, bad input, retries."""
from __future__ import annotations

import json
import os
from pathlib import Path

import boto3
import pytest
from servers import moto_server

from pipelines.errors import BadInputError, TransientError
from worker.commands.common import load_account_file
from worker.db import Database, repo
from worker.intake import store_input
from worker.jobs import STAGES, run_meeting
from worker.local_queue import InProcessQueue
from worker.rq_queue import job_timeout
from worker.services import Services
from worker.settings import Settings
from worker.storage import LocalStorage, S3Storage, StorageConfigError

SAMPLES = Path(__file__).parents[1] / "samples"
TRAINING = Path(__file__).parents[1] / "models" / "training" / "meetings"


@pytest.fixture
def svc(tmp_path: Path) -> Services:
    settings = Settings(data_dir=tmp_path, job_retries=2, job_retry_backoff_s=[0])
    return Services(settings=settings, storage=LocalStorage(tmp_path / "objects"),
                    db=Database(settings.resolved_database_url))


def new_meeting(svc: Services, source: Path, *, as_transcript: bool) -> str:
    state = load_account_file(SAMPLES / "demo-account.json")
    with svc.db.session() as s:
        try:
            repo.account_state(s, state.account_id)
        except repo.NotFoundError:
            repo.import_account(s, state)
    mid = repo.new_meeting_id()
    key = store_input(svc, mid, source, "transcript" if as_transcript else "recording")
    fields = {"transcript_key": key} if as_transcript else {"recording_key": key}
    with svc.db.session() as s:
        repo.create_meeting(s, state.account_id, meeting_id=mid, filename=source.name, **fields)
    return mid


def artifacts(svc: Services, mid: str) -> list[str]:
    return sorted(p.name for p in (svc.storage.root / "meetings" / mid).glob("*-*.json"))  # type: ignore[attr-defined]


def revisions_of(svc: Services, mid: str) -> int:
    with svc.db.session() as s:
        return sum(1 for r in repo.history(s, "acct-bluefin") if r.meeting_id == mid)


@pytest.mark.slow
def test_imported_transcript_job_makes_one_revision_with_provenance(svc: Services):
    mid = new_meeting(svc, SAMPLES / "demo-meeting.json", as_transcript=True)
    seen: list[tuple[str, float]] = []
    queue = InProcessQueue(svc, progress=lambda stage, f: seen.append((stage, f)))
    result = queue.results[queue.enqueue_meeting(mid)]

    assert [s for s in STAGES if any(a.startswith(s + "-") for a in artifacts(svc, mid))] == list(STAGES)
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert result.analysis.highlights, "the demo meeting has highlights in every category"
    assert result.revision == 2 and result.update.changes
    turns = {s.text: s for s in result.transcript.segments}
    for change in result.update.changes:
        assert change.source.meeting_id == mid
        if change.source.highlight_id:
            assert change.source.speaker and change.source.quote
    with svc.db.session() as s:
        m = repo.get_meeting(s, mid)
        assert (m.status, m.progress, m.revision, m.error) == ("done", 1.0, 2, None)
        assert len(repo.highlights(s, mid)) == len(result.analysis.highlights)
    assert turns


@pytest.mark.slow
def test_rerun_resumes_every_stage_and_changes_nothing(svc: Services):
    mid = new_meeting(svc, SAMPLES / "demo-meeting.json", as_transcript=True)
    first = run_meeting(mid, svc)
    again = run_meeting(mid, svc)
    assert again.resumed == list(STAGES)
    assert again.revision == first.revision and revisions_of(svc, mid) == 1


@pytest.mark.slow
def test_rerun_after_a_later_meeting_analyses_the_same_record(svc: Services):
    first_id = new_meeting(svc, SAMPLES / "demo-meeting.json", as_transcript=True)
    first = run_meeting(first_id, svc)
    later = TRAINING / "train-001.json"
    second = run_meeting(new_meeting(svc, later, as_transcript=True), svc)
    assert second.revision == first.revision + 1, "the later meeting changed the record"
    with svc.db.session() as s:
        n_highlights = len(repo.highlights(s, first_id))
    for name in artifacts(svc, first_id):  # lose the analysis: the re-run must redo it
        if name.startswith(("analyze-", "update-")):
            svc.storage.delete(f"meetings/{first_id}/{name}")
    again = run_meeting(first_id, svc)
    assert again.analysis == first.analysis, "analysed against the record its first run saw"
    with svc.db.session() as s:
        assert len(repo.highlights(s, first_id)) == n_highlights
        assert repo.account_state(s, "acct-bluefin")[1] == second.revision, "no new revision"
        assert repo.get_meeting(s, first_id).base_revision == first.revision - 1


@pytest.mark.slow
def test_job_resumes_after_last_finished_stage(svc: Services):
    mid = new_meeting(svc, SAMPLES / "demo-meeting.json", as_transcript=True)
    first = run_meeting(mid, svc)
    for name in artifacts(svc, mid):  # as if the job died after the speakers stage
        if name.startswith(("analyze-", "update-")):
            svc.storage.delete(f"meetings/{mid}/{name}")
    again = run_meeting(mid, svc)
    assert again.resumed == ["ingest", "transcribe", "speakers"]
    assert again.analysis == first.analysis  # analysed against the record as it stood before
    assert again.revision == first.revision and revisions_of(svc, mid) == 1


@pytest.mark.slow
def test_recording_job_end_to_end(svc: Services):
    mid = new_meeting(svc, SAMPLES / "demo-meeting.flac", as_transcript=False)
    result = run_meeting(mid, svc)
    assert result.transcript.segments and all(s.speaker for s in result.transcript.segments)
    assert result.revision is not None
    with svc.db.session() as s:
        m = repo.get_meeting(s, mid)
        assert m.status == "done" and abs(m.duration - 66.8) < 0.5 and len(m.checksum) == 64


def test_bad_recording_fails_the_meeting_without_retry(svc: Services, tmp_path: Path):
    bad = tmp_path / "call.flac"
    bad.write_bytes(os.urandom(4000))
    mid = new_meeting(svc, bad, as_transcript=False)
    with pytest.raises(BadInputError):
        InProcessQueue(svc, sleep=False).enqueue_meeting(mid)
    with svc.db.session() as s:
        m = repo.get_meeting(s, mid)
    assert m.status == "failed" and m.attempts == 1
    assert m.error.startswith("call.flac ") and "Traceback" not in m.error and "meetings/" not in m.error


def test_storage_outage_is_retried_then_reported(tmp_path: Path):
    settings = Settings(data_dir=tmp_path, job_retries=2, job_retry_backoff_s=[0])
    db = Database(settings.resolved_database_url)
    with moto_server() as endpoint:
        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="rec")
        storage = S3Storage("rec", endpoint_url=endpoint)
        svc = Services(settings=settings, storage=storage, db=db)
        mid = new_meeting(svc, SAMPLES / "demo-meeting.json", as_transcript=True)
    # the S3 server is gone now: every attempt fails transiently
    with pytest.raises(TransientError):
        InProcessQueue(svc, sleep=False).enqueue_meeting(mid)
    with db.session() as s:
        m = repo.get_meeting(s, mid)
    assert m.status == "failed" and m.attempts == 3 and "S3" in m.error
    assert "AW_STORAGE_URL" in m.error and "enqueue" in m.error


def test_no_retries_fails_the_meeting_at_once(tmp_path: Path):
    settings = Settings(data_dir=tmp_path, job_retries=0)
    db = Database(settings.resolved_database_url)
    with moto_server() as endpoint:
        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="rec")
        svc = Services(settings=settings, storage=S3Storage("rec", endpoint_url=endpoint), db=db)
        mid = new_meeting(svc, SAMPLES / "demo-meeting.json", as_transcript=True)
    with pytest.raises(TransientError):
        InProcessQueue(svc, sleep=False).enqueue_meeting(mid)
    with db.session() as s:
        m = repo.get_meeting(s, mid)
    assert m.status == "failed" and m.attempts == 1


def test_missing_bucket_fails_the_meeting_without_retry(tmp_path: Path):
    settings = Settings(data_dir=tmp_path, job_retries=2, job_retry_backoff_s=[0])
    db = Database(settings.resolved_database_url)
    with moto_server() as endpoint:
        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="rec")
        svc = Services(settings=settings, storage=S3Storage("rec", endpoint_url=endpoint), db=db)
        mid = new_meeting(svc, SAMPLES / "demo-meeting.json", as_transcript=True)
        svc.storage = S3Storage("gone", endpoint_url=endpoint)  # AW_STORAGE_URL names a missing bucket
        with pytest.raises(StorageConfigError):
            InProcessQueue(svc, sleep=False).enqueue_meeting(mid)
    with db.session() as s:
        m = repo.get_meeting(s, mid)
    assert m.status == "failed" and m.attempts == 1 and "check AW_STORAGE_URL" in m.error


def test_interrupted_job_does_not_stay_running(svc: Services, monkeypatch):
    mid = new_meeting(svc, SAMPLES / "demo-meeting.json", as_transcript=True)

    def interrupt(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr("worker.stages.ingest", interrupt)
    with pytest.raises(KeyboardInterrupt):
        run_meeting(mid, svc)
    with svc.db.session() as s:
        m = repo.get_meeting(s, mid)
    assert m.status == "failed" and "interrupted" in m.error


def test_transcribe_checksum_ignores_options_that_do_not_change_the_transcript(tmp_path: Path):
    from worker.jobs import transcribe_input
    from worker.stages import transcribe_options

    base = transcribe_options(Settings(data_dir=tmp_path))
    same = transcribe_options(Settings(data_dir=tmp_path / "other", cpu_threads=7, max_upload_mb=5,
                                       max_duration_s=60))
    assert transcribe_input(base) == transcribe_input(same)
    for changed in (Settings(data_dir=tmp_path, whisper_model="base"),
                    Settings(data_dir=tmp_path, language="de"),
                    Settings(data_dir=tmp_path, asr_batch_size=8)):
        assert transcribe_input(transcribe_options(changed)) != transcribe_input(base)


def test_job_timeout_scales_with_duration():
    s = Settings(job_timeout_base_s=300, job_timeout_per_audio_min=60)
    assert job_timeout(s, None) == 300
    assert job_timeout(s, 3600) == 300 + 3600


def test_unknown_meeting_is_reported(svc: Services):
    with pytest.raises(repo.NotFoundError):
        run_meeting("m_missing", svc)


def test_account_file_may_be_a_meeting_json():
    state = load_account_file(SAMPLES / "demo-meeting.json")
    assert state.account_id == json.loads((SAMPLES / "demo-account.json").read_text())["account_id"]


@pytest.mark.slow
def test_job_on_s3_and_postgresql(tmp_path: Path):
    """The production backends: an S3-compatible server and PostgreSQL (skipped if absent)."""
    from servers import postgres_schema_url

    schema = postgres_schema_url()
    url = next(schema)
    db = Database(url)
    try:
        with moto_server() as endpoint:
            boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="aw-jobs")
            svc = Services(settings=Settings(data_dir=tmp_path), db=db,
                           storage=S3Storage("aw-jobs", "prod", endpoint_url=endpoint))
            mid = new_meeting(svc, SAMPLES / "demo-meeting.json", as_transcript=True)
            first = run_meeting(mid, svc)
            again = run_meeting(mid, svc)
            keys = [o["Key"] for o in svc.storage.client.list_objects_v2(Bucket="aw-jobs")["Contents"]]
        assert first.revision == 2 and again.resumed == list(STAGES) and revisions_of(svc, mid) == 1
        assert sum(k.startswith(f"prod/meetings/{mid}/") for k in keys) == 1 + len(STAGES)
    finally:
        db.dispose()
        next(schema, None)


@pytest.mark.slow
def test_applied_revision_is_sent_to_the_crm_bridge(tmp_path: Path):
    from servers import receiver

    with receiver("bridge-secret") as crm:
        settings = Settings(data_dir=tmp_path, sync_urls=[crm.url], sync_secret="bridge-secret")
        svc = Services(settings=settings, storage=LocalStorage(tmp_path / "objects"),
                       db=Database(settings.resolved_database_url))
        mid = new_meeting(svc, SAMPLES / "demo-meeting.json", as_transcript=True)
        queue = InProcessQueue(svc, sleep=False)  # `process`: one delivery pass right after the job
        result = queue.results[queue.enqueue_meeting(mid)]
        queue.enqueue_meeting(mid)  # a re-run sends nothing twice
    revision_events = [e for e in crm.accepted if e["type"] == "account.revision"]
    assert len(revision_events) == 1 and crm.rejected == 0
    event = revision_events[0]
    assert (event["revision"], event["meeting_id"]) == (result.revision, mid)
    assert len(event["changes"]) == len(result.update.changes)
