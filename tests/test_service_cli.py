"""The service commands through the CLI: process, status, account import/show/history/export/reject."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import typer
from typer.testing import CliRunner

from worker.commands import account, service
from worker.settings import get_settings

SAMPLES = Path(__file__).parents[1] / "samples"
SCHEMA = Path(__file__).parents[1] / "pipelines" / "schemas" / "account_export.schema.json"


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("AW_DATA_DIR", str(tmp_path))
    for var in ("AW_DATABASE_URL", "AW_REDIS_URL", "AW_STORAGE_URL", "AW_SYNC_URLS"):
        monkeypatch.delenv(var, raising=False)
    get_settings.cache_clear()
    app = typer.Typer()
    service.register(app)
    account.register(app)
    runner = CliRunner()

    def run(*args: str, ok: bool = True):  # noqa: ANN202
        result = runner.invoke(app, list(args))
        assert (result.exit_code == 0) == ok, result.output
        result.flat = " ".join(result.output.split())  # rich wraps long error lines
        return result

    yield run
    get_settings.cache_clear()


def test_account_import_show_history_export(cli, tmp_path):
    assert "acct-bluefin revision 1" in cli("account", "import", str(SAMPLES / "demo-account.json")).output
    shown = cli("account", "show", "acct-bluefin").output
    assert "Bluefin Dental Group" in shown and "Helen Park" in shown and "imported" in shown
    assert "import" in cli("account", "history", "acct-bluefin").output
    out = tmp_path / "export.json"
    cli("account", "export", "acct-bluefin", "-o", str(out))
    exported = json.loads(out.read_text())
    jsonschema.validate(exported, json.loads(SCHEMA.read_text()))
    assert exported["revision"] == 1 and exported["account"]["goals"][0]["id"] == "g1"


def test_readable_errors(cli, tmp_path):
    assert "not found" in cli("account", "show", "nope", ok=False).output
    assert "meeting 'm_x' not found" in cli("status", "m_x", ok=False).output
    bad = tmp_path / "acct.json"
    bad.write_text('{"name": "no id"}')
    out = cli("account", "import", str(bad), ok=False).flat
    assert "not an account (account_id: Field required)" in out
    assert "pipelines/schemas/account.schema.json" in out and "SCHEMA.md" not in out
    assert "no such file" in cli("process", str(tmp_path / "missing.flac"), "--account",
                                 str(SAMPLES / "demo-account.json"), ok=False).flat


def test_process_bad_recording_fails_readably(cli, tmp_path):
    bad = tmp_path / "call.flac"
    bad.write_bytes(b"\x00" * 3000)
    result = cli("process", str(bad), "--account", str(SAMPLES / "demo-account.json"), ok=False)
    assert "call.flac" in result.flat and "Traceback" not in result.flat


@pytest.mark.slow
def test_process_imported_transcript_then_reject_a_highlight(cli):
    result = cli("process", str(SAMPLES / "demo-meeting.json"), "--account",
                 str(SAMPLES / "demo-account.json"), "--json")
    data = json.loads(result.stdout)
    assert data["revision"] == 2 and data["analysis"]["highlights"]
    mid = data["meeting_id"]
    assert "done" in cli("status", mid).output
    assert "status done" in cli("status", mid, "--follow").flat
    change = data["account_update"]["changes"][0]
    hid = change["source"]["highlight_id"]
    assert "acct-bluefin revision 3" in cli("account", "reject", mid, hid).output
    assert "already rejected" in cli("account", "reject", mid, hid).output
    history = cli("account", "history", "acct-bluefin").output
    assert "meeting" in history and "review" in history
    readable = cli("process", str(SAMPLES / "demo-meeting.json"), "--account",
                   str(SAMPLES / "demo-account.json")).output
    assert "Highlights of meeting" in readable
    assert "[turn 0] Jordan Lee (vendor): Hi Helen, this is Jordan Lee" in readable  # transcript first
    assert readable.index("Transcript (16 turns)") < readable.index("Highlights of meeting")


def test_enqueue_puts_a_job_on_redis_and_status_shows_it(cli, tmp_path, monkeypatch):
    import redis
    from rq import Queue
    from servers import RedisServer

    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        monkeypatch.setenv("AW_REDIS_URL", server.url)
        monkeypatch.setenv("AW_QUEUES", '["cli-test"]')
        get_settings.cache_clear()
        cli("account", "import", str(SAMPLES / "demo-account.json"))
        result = cli("enqueue", str(SAMPLES / "demo-meeting.flac"), "--account-id", "acct-bluefin")
        job_id = result.stdout.strip()
        mid = result.stderr.split()[-1]
        assert Queue("cli-test", connection=redis.Redis.from_url(server.url)).job_ids == [job_id]
        status = cli("status", mid).flat
        assert "status queued" in status and f"job {job_id} queued stage queued 0%" in status
        assert "not found" in cli("enqueue", str(SAMPLES / "demo-meeting.flac"), "--account-id", "nope",
                                  ok=False).flat
        # a job that failed (or vanished) without the meeting row saying so ends --follow
        from rq.job import Job, JobStatus

        conn = redis.Redis.from_url(server.url)
        Job.fetch(job_id, connection=conn).set_status(JobStatus.FAILED)
        assert f"its job {job_id} is failed" in cli("status", mid, "--follow", ok=False).flat
        Job.fetch(job_id, connection=conn).delete()
        assert "is no longer in Redis" in cli("status", mid, "--follow", ok=False).flat
    finally:
        server.stop()


def test_enqueue_with_redis_down_fails_the_meeting_readably(cli, tmp_path, monkeypatch):
    from servers import free_port

    from worker.db import Database, repo
    from worker.db.models import MeetingRow

    monkeypatch.setenv("AW_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # nothing listens
    get_settings.cache_clear()
    cli("account", "import", str(SAMPLES / "demo-account.json"))
    out = cli("enqueue", str(SAMPLES / "demo-meeting.flac"), "--account-id", "acct-bluefin", ok=False).flat
    assert "Redis unreachable" in out and "AW_REDIS_URL" in out and "Traceback" not in out
    db = Database(get_settings().resolved_database_url)
    with db.session() as s:
        (row,) = s.query(MeetingRow).all()
        assert row.status == "failed" and "AW_REDIS_URL" in row.error
        assert repo.get_meeting(s, row.id).job_id is None


def test_enqueue_bad_recording_stores_nothing(cli, tmp_path):
    from worker.db import Database
    from worker.db.models import MeetingRow

    bad = tmp_path / "call.flac"
    bad.write_bytes(bytes(range(256)) * 20)
    cli("account", "import", str(SAMPLES / "demo-account.json"))
    out = cli("enqueue", str(bad), "--account-id", "acct-bluefin", ok=False).flat
    assert "call.flac" in out and "Traceback" not in out
    with Database(get_settings().resolved_database_url).session() as s:
        assert s.query(MeetingRow).count() == 0
    assert not list((tmp_path / "objects").rglob("recording*"))
