"""``alignment-worker eval`` end to end on the dev corpus, with the shipped heads (``--no-cv``).

This checks what eval writes (one schema-valid prediction per meeting, verbatim evidence, the table
ending on the core macro F1, the seen meetings named as not held out), quickly. How GOOD the
figures are is the quality gate's job: ``make eval`` runs the leave-one-meeting-out evaluation and
compares every figure with bench/baselines/eval.json (bench/eval_gate.py).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

MEETINGS = Path(__file__).parents[1] / ".." / "shared" / "eval" / "meetings"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> tuple[str, dict, Path]:
    if not MEETINGS.is_dir():
        pytest.skip(f"dev corpus not found at {MEETINGS} (needs the shared folder next to the repo)")
    import typer

    from worker.commands.analyze import register

    app = typer.Typer()
    register(app)
    out = tmp_path_factory.mktemp("eval")
    # features are cached by content hash across runs (pytest's cache folder)
    cache = request.config.cache.mkdir("aw-analysis-features")
    args = ["eval", str(MEETINGS), "--no-cv", "--out", str(out), "--cache", str(cache)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output, json.loads((out / "score.json").read_text()), out


def test_table_ends_with_core_macro_f1(run):
    output, score, _ = run
    last = output.strip().splitlines()[-1]
    assert re.fullmatch(r"core macro F1 \d\.\d{3}", last)
    assert float(last.split()[-1]) == pytest.approx(score["core_macro_f1"], abs=1e-3)


def test_seen_meetings_are_marked_and_held_out(run):
    output, _, _ = run
    assert "seen in training (the shipped heads (NOT held out: --no-cv)): dev-001" in output


def test_one_prediction_per_meeting_valid_against_the_schema(run):
    import jsonschema

    from pipelines.analyze.schema import analysis_schema

    _, _, out = run
    files = sorted(out.glob("dev-*.json"))
    assert len(files) == len(list(MEETINGS.glob("*.json")))
    for f in files:
        jsonschema.validate(json.loads(f.read_text()), analysis_schema())


def test_every_highlight_is_verbatim_and_complete(run):
    _, _, out = run
    for f in sorted(out.glob("dev-*.json")):
        pred = json.loads(f.read_text())
        meeting = json.loads((MEETINGS / f.name).read_text())
        texts = [u["text"] for u in meeting["utterances"]]
        for h in pred["highlights"]:
            assert h["turns"] and 0.0 <= h["confidence"] <= 1.0
            assert any(h["evidence"] in texts[i] for i in h["turns"]), h
            assert h["extractor"].startswith(f"aw.{h['category']}.v")
            if h["category"] == "value_quote":
                assert h["side"] == "customer"
