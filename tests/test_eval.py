"""End to end: ``alignment-worker eval`` on the dev corpus, leave-one-meeting-out, against the bars.

Issue 4's bars are core macro-F1 >= 0.75, each core category F1 >= 0.60, advocacy flag accuracy
>= 0.85 and attribute accuracy >= 0.70. The test asserts each bar, or the level the engine honestly
reaches where that is lower (see BARS), so that falling below a bar or regressing fails it.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

MEETINGS = Path(__file__).parents[1] / ".." / "shared" / "eval" / "meetings"
# bar -> (issue target, level reached with leave-one-meeting-out CV, asserted)
BARS = {
    "core_macro_f1": (0.75, 0.75),  # reached 0.786; see README
    "goal_shift": (0.60, 0.80),  # 0.857
    "stakeholder_change": (0.60, 0.75),  # 0.794
    "risk": (0.60, 0.66),  # 0.707
    "value_quote": (0.60, 0.74),  # 0.786
    "advocacy_flag_accuracy": (0.85, 0.92),  # reached 0.929 (13 of 14)
    "attribute_accuracy": (0.70, 0.72),  # 0.746
}

pytestmark = pytest.mark.slow


def _bar(name: str) -> float:
    target, reached = BARS[name]
    return min(target, reached)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> tuple[str, dict, Path]:
    if not MEETINGS.is_dir():
        pytest.skip(f"dev corpus not found at {MEETINGS} (needs the shared folder next to the repo)")
    import typer

    from worker.commands.analyze import register

    app = typer.Typer()
    register(app)
    out = tmp_path_factory.mktemp("eval")
    # features are cached by content hash across runs (pytest's cache folder): the first run embeds
    # every meeting, later runs only retrain the leave-one-out heads
    cache = request.config.cache.mkdir("aw-analysis-features")
    result = CliRunner().invoke(app, ["eval", str(MEETINGS), "--out", str(out), "--cache", str(cache)])
    assert result.exit_code == 0, result.output
    return result.output, json.loads((out / "score.json").read_text()), out


def test_table_ends_with_core_macro_f1(run):
    output, score, _ = run
    last = output.strip().splitlines()[-1]
    assert re.fullmatch(r"core macro F1 \d\.\d{3}", last)
    assert float(last.split()[-1]) == pytest.approx(score["core_macro_f1"], abs=1e-3)


def test_seen_meetings_are_marked_and_held_out(run):
    output, _, _ = run
    assert "seen in training (leave-one-meeting-out heads): dev-001" in output


def test_one_prediction_per_meeting_valid_against_the_schema(run):
    import jsonschema

    from pipelines.analyze.schema import analysis_schema

    _, _, out = run
    files = sorted(out.glob("dev-*.json"))
    assert len(files) == len(list(MEETINGS.glob("*.json")))
    for f in files:
        jsonschema.validate(json.loads(f.read_text()), analysis_schema())


def test_quality_bars(run):
    _, score, _ = run
    cats = score["categories"]
    assert score["core_macro_f1"] >= _bar("core_macro_f1")
    for cat in ("goal_shift", "stakeholder_change", "risk", "value_quote"):
        assert cats[cat]["f1"] >= _bar(cat), cat
    assert score["advocacy_flag_accuracy"] >= _bar("advocacy_flag_accuracy")
    assert score["attribute_accuracy"] >= _bar("attribute_accuracy")


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
