"""The transcribe / import-transcript / models commands, run through Typer's test runner."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from worker.commands import transcribe as commands
from worker.settings import get_settings

SHARED = Path(__file__).parents[1] / ".." / "shared" / "data"


@pytest.fixture()
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AW_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    app = typer.Typer()
    commands.register(app)
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, [str(a) for a in args])
    get_settings.cache_clear()


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present (../shared is needed for this test)")
    return path


def test_import_transcript_to_each_format(cli, tmp_path: Path):
    teams = require(SHARED / "platform-transcripts/msgraph-teams-docs/calltranscript-content.example.vtt")
    result = cli("import-transcript", teams)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["segments"][0]["speaker"] == "User Name"
    out = tmp_path / "t.srt"
    assert cli("import-transcript", teams, "-o", out).exit_code == 0  # format from the suffix
    assert out.read_text() == "1\n00:00:00,000 --> 00:00:05,320\nUser Name: This is a transcript test.\n"
    assert "<v User Name>" in cli("import-transcript", teams, "--format", "vtt").stdout
    txt = cli("import-transcript", teams, "-f", "txt").stdout
    assert txt == "[00:00:00] User Name: This is a transcript test.\n"


def test_bad_files_fail_with_a_message_not_a_traceback(cli, tmp_path: Path):
    broken = tmp_path / "broken.srt"
    broken.write_text("some text\n00:00:00,500 --> 00:00:07,000\n")
    result = cli("import-transcript", broken)
    assert result.exit_code == 1 and "line 1: expected a cue number" in " ".join(result.output.split())
    notes = tmp_path / "notes.wav"
    notes.write_text("not a recording")
    result = cli("transcribe", notes)
    assert result.exit_code == 1 and "is not an audio or video file" in " ".join(result.output.split())


@pytest.mark.slow
def test_transcribe_jfk_to_vtt(cli, tmp_path: Path):
    jfk = require(SHARED / "audio/jfk.flac")
    out = tmp_path / "jfk.vtt"
    result = cli("transcribe", jfk, "-o", out)
    assert result.exit_code == 0, result.output
    vtt = out.read_text()
    assert vtt.startswith("WEBVTT") and "ask not what your country can do for you" in vtt.lower()


@pytest.mark.slow
def test_models_prepare_and_list(cli, tmp_path: Path):
    assert cli("models", "prepare").exit_code == 0
    listing = cli("models", "list")
    assert listing.exit_code == 0 and "tiny.en" in listing.output and "not joined" in listing.output


@pytest.mark.slow
def test_models_prepare_warm_runs_every_model_once(cli):
    result = cli("models", "prepare", "--warm")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for name in ("voice encoder", "spaCy", "MiniLM sentence encoder"):
        assert any(line.startswith(name) and ": ok (" in line for line in lines), result.output
    assert "Loading weights" not in result.output


def test_options_come_from_the_settings(tmp_path: Path):
    from worker.asr import transcribe_options
    from worker.settings import Settings

    settings = Settings(data_dir=tmp_path, whisper_model="base", max_upload_mb=3, language="en")
    options = transcribe_options(settings)
    assert options.model == "base" and options.model_cache_dir == tmp_path / "models" / "whisper-base"
    assert options.max_bytes == 3 * 2**20 and options.language == "en"
    assert options.batch_size == settings.asr_batch_size == 1  # sequential: see bench/transcribe.py
    assert transcribe_options(settings, model="tiny.en", language="de").model == "tiny.en"
