"""The service under hostile use: bad settings, markup in names, long names on both databases,
signals, dead processes, racing first runs, and inputs refused before anything is stored."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import typer
from servers import postgres_schema_url
from typer.testing import CliRunner

from pipelines.account import Account
from pipelines.account_state import AccountState
from pipelines.errors import BadInputError
from worker.commands import account, service
from worker.db import Database, repo
from worker.db.models import MeetingRow
from worker.intake import new_meeting
from worker.jobs import run_meeting
from worker.orphans import fail_dead_local
from worker.services import Services
from worker.settings import Settings, get_settings
from worker.storage import LocalStorage

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("AW_DATA_DIR", str(tmp_path / "data"))
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
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        result.flat = " ".join(result.output.split())
        return result

    yield run
    get_settings.cache_clear()


def tone(path: Path, seconds: float = 1.0) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((np.sin(np.arange(int(16000 * seconds)) * 0.1) * 8000).astype("<i2").tobytes())
    return path


def account_file(path: Path, account_id: str = "acct-robust", name: str = "Robust Co") -> Path:
    path.write_text(json.dumps({"account_id": account_id, "name": name,
                                "stakeholders": [{"name": "Ana Lee", "title": "Director"}]}))
    return path


def vtt(path: Path, speaker: str) -> Path:
    path.write_text(f"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v {speaker}>We want to grow the team "
                    "next year and the rollout went well.\n\n00:00:05.000 --> 00:00:08.000\n"
                    "<v Sam Ortiz>Great, I will send the plan by Friday.\n")
    return path


# ------------------------------------------------------------------ settings and paths


@pytest.mark.parametrize("url, words", [("notaurl", "is not a database URL"),
                                        ("mysql://u@127.0.0.1/db", "mysql is not supported")])
def test_a_bad_database_url_is_a_readable_error(cli, monkeypatch, url, words):
    monkeypatch.setenv("AW_DATABASE_URL", url)
    out = cli("account", "show", "x", ok=False).flat
    assert "AW_DATABASE_URL" in out and words in out


def test_a_data_dir_that_cannot_be_made_is_a_readable_error(cli, tmp_path, monkeypatch):
    (tmp_path / "file").write_text("a file, not a folder")
    monkeypatch.setenv("AW_DATA_DIR", str(tmp_path / "file" / "data"))
    out = cli("account", "show", "x", ok=False).flat
    assert "AW_DATA_DIR" in out and "choose a writable folder" in out


def test_export_to_a_missing_folder_is_a_readable_error(cli, tmp_path):
    cli("account", "import", str(account_file(tmp_path / "a.json")))
    out = cli("account", "export", "acct-robust", "-o", "/nonexistent/x.json", ok=False).flat
    assert "cannot write /nonexistent/x.json" in out


def test_account_ids_on_the_command_line_are_checked(cli):
    assert "an account id must be" in cli("account", "show", "x" * 300, ok=False).flat
    assert "an account id must be" in cli("account", "history", "a\x01b", ok=False).flat


# ------------------------------------------------------------------ markup and long names


def test_markup_in_names_never_crashes_the_cli(cli, tmp_path):
    acct = account_file(tmp_path / "a.json", "acct-[/]", "[/] [bold]Corp")
    done = cli("process", str(vtt(tmp_path / "m.vtt", "Ana [/]Lee")), "--account", str(acct))
    assert "Ana [/]Lee" in done.output
    shown = cli("account", "show", "acct-[/]").output
    assert "[/] [bold]Corp" in shown
    assert "Revisions" in cli("account", "history", "acct-[/]").output


@pytest.fixture(params=["sqlite", "postgresql"])
def svc(request, tmp_path):
    if request.param == "sqlite":
        url, gen = f"sqlite:///{tmp_path / 'aw.db'}", None
    else:
        gen = postgres_schema_url()
        url = next(gen)
    settings = Settings(data_dir=tmp_path, database_url=url, job_retries=0)
    services = Services(settings=settings, storage=LocalStorage(tmp_path / "objects"), db=Database(url))
    yield services
    services.db.dispose()
    if gen is not None:
        next(gen, None)


def test_a_265_character_speaker_name_passes_on_both_databases(svc, tmp_path):
    with svc.db.session() as s:
        repo.import_account(s, AccountState.from_account(Account(account_id="acct-long", name="Long")))
    mid = new_meeting(svc, "acct-long", vtt(tmp_path / "long.vtt", "N" * 265))
    result = run_meeting(mid, svc)
    with svc.db.session() as s:
        assert repo.get_meeting(s, mid).status == "done"
    assert any(len(seg.speaker or "") == 200 for seg in result.transcript.segments)
    assert any("cut" in w for w in result.transcript.warnings)


@pytest.mark.parametrize("bad", ["x" * 300, "ac\x00ct"])
def test_an_impossible_account_id_is_an_error_on_both_databases(svc, tmp_path, bad):
    with pytest.raises(BadInputError, match="an account id must be"):
        new_meeting(svc, bad, vtt(tmp_path / "m.vtt", "Ana"))
    assert not list((tmp_path / "objects").rglob("*.*"))


# ------------------------------------------------------------------ nothing stored before the checks


def _stored(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "objects").rglob("*") if p.is_file()]


@pytest.mark.parametrize("limit, words", [({"max_upload_mb": 0}, "AW_MAX_UPLOAD_MB"),
                                          ({"max_duration_s": 0.5}, "AW_MAX_DURATION_S")])
def test_a_recording_over_a_limit_is_refused_before_it_is_stored(tmp_path, limit, words):
    settings = Settings(data_dir=tmp_path, **limit)
    svc = Services(settings=settings, storage=LocalStorage(tmp_path / "objects"),
                   db=Database(settings.resolved_database_url))
    with svc.db.session() as s:
        repo.import_account(s, AccountState.from_account(Account(account_id="a", name="A")))
    with pytest.raises(BadInputError, match=words):
        new_meeting(svc, "a", tone(tmp_path / "tone.wav"))
    big = vtt(tmp_path / "big.vtt", "Ana")
    big.write_text(big.read_text() + "NOTE " + "x" * 70_000 + "\n")
    small = Services(settings=Settings(data_dir=tmp_path, max_transcript_chars=1), storage=svc.storage,
                     db=svc.db)
    with pytest.raises(BadInputError, match="file size"):
        new_meeting(small, "a", big)
    with pytest.raises(repo.NotFoundError):
        new_meeting(svc, "unknown", big)
    assert _stored(tmp_path) == []
    with svc.db.session() as s:
        assert s.query(MeetingRow).count() == 0


def test_a_bad_transcript_is_named_not_the_recording(cli, tmp_path):
    bad = tmp_path / "bad.vtt"
    bad.write_text("WEBVTT\n\nthis is not a timing line\nhello\n")
    out = cli("process", str(tone(tmp_path / "tone.wav")), "--transcript", str(bad), "--account",
              str(account_file(tmp_path / "a.json")), ok=False).flat
    assert "bad.vtt, line 4" in out and "tone.wav" not in out.split("error:", 1)[1]


# ------------------------------------------------------------------ signals and dead processes


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AW_")}
    return env | {"AW_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}


def test_sigterm_during_process_fails_the_meeting(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "worker.cli", "process",
                             str(SAMPLES / "demo-meeting.flac"), "--account",
                             str(SAMPLES / "demo-account.json")], env=_env(tmp_path),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    db_file = tmp_path / "data" / "alignment.db"
    deadline = time.monotonic() + 300
    status = None
    while time.monotonic() < deadline and proc.poll() is None:
        if db_file.exists():
            db = Database(f"sqlite:///{db_file}", upgrade=False)
            try:
                with db.session() as s:
                    status = s.query(MeetingRow.status).scalar()
            except Exception:  # noqa: BLE001 - tables not made yet
                status = None
            db.dispose()
            if status == "running":
                break
        time.sleep(0.2)
    assert status == "running", proc.stderr.read().decode() if proc.stderr else ""
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=120)
    db = Database(f"sqlite:///{db_file}", upgrade=False)
    with db.session() as s:
        row = s.query(MeetingRow).one()
        assert row.status == "failed" and "SIGTERM" in (row.error or "")


def test_a_meeting_left_running_by_a_dead_process_is_failed_by_the_next_run(tmp_path):
    settings = Settings(data_dir=tmp_path)
    svc = Services(settings=settings, storage=LocalStorage(tmp_path / "objects"),
                   db=Database(settings.resolved_database_url))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    host = socket.gethostname()[:60]
    with svc.db.session() as s:
        repo.import_account(s, AccountState.from_account(Account(account_id="a", name="A")))
        for mid, pid in (("m_dead", int(gone.stdout)), ("m_alive", os.getpid())):
            repo.create_meeting(s, "a", meeting_id=mid, filename="x.wav", recording_key="k")
            repo.set_meeting(s, mid, status="running", job_id=f"local-{pid}@{host}-0123abcd")
    assert fail_dead_local(svc) == ["m_dead"]
    with svc.db.session() as s:
        dead, alive = repo.get_meeting(s, "m_dead"), repo.get_meeting(s, "m_alive")
        assert dead.status == "failed" and f"pid {int(gone.stdout)}" in (dead.error or "")
        assert alive.status == "running"


def test_two_first_runs_on_a_fresh_sqlite_dir_both_migrate(tmp_path):
    code = "import sys; from worker.db import Database; Database(sys.argv[1]).dispose()"
    for round_ in range(3):
        url = f"sqlite:///{tmp_path / f'fresh{round_}' / 'alignment.db'}"
        procs = [subprocess.Popen([sys.executable, "-c", code, url], env=_env(tmp_path),
                                  stderr=subprocess.PIPE) for _ in range(2)]
        for p in procs:
            assert p.wait(timeout=120) == 0, p.stderr.read().decode() if p.stderr else ""
