"""``alignment-worker analyze`` reads the account the same way ``process`` does."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from worker.commands.analyze import register

SAMPLE = Path(__file__).parents[1] / "samples" / "demo-meeting.json"


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


@pytest.mark.slow
def test_analyze_takes_a_meeting_json_as_account(tmp_path: Path) -> None:
    out = tmp_path / "analysis.json"
    result = CliRunner().invoke(_app(), ["analyze", str(SAMPLE), "--account", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    analysis = json.loads(out.read_text())
    assert analysis["meeting_id"] == json.loads(SAMPLE.read_text())["id"]
    assert analysis["highlights"], "the demo meeting has highlights in every core category"


def test_a_broken_account_file_is_a_readable_error(tmp_path: Path) -> None:
    bad = tmp_path / "account.json"
    bad.write_text("{not json")
    result = CliRunner().invoke(_app(), ["analyze", str(SAMPLE), "--account", str(bad)])
    assert result.exit_code == 1
    assert "invalid JSON" in result.output and "Traceback" not in result.output
