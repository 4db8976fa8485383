"""The quality gate (bench/eval_gate.py): a figure that falls by more than its tolerance fails it,
a better one passes and asks for a committed baseline, a missing one fails."""
from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

GATE = Path(__file__).parents[1] / "bench" / "eval_gate.py"


@pytest.fixture(scope="module")
def gate() -> Any:
    spec = importlib.util.spec_from_file_location("eval_gate", GATE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score() -> dict[str, Any]:
    cat = {"precision": 0.8, "recall": 0.7, "f1": 0.747, "tp": 7, "fp": 2, "fn": 3,
           "attribute_accuracy": {"severity": 0.5}}
    return {"core_macro_f1": 0.786, "advocacy_flag_accuracy": 0.929, "attribute_accuracy": 0.746,
            "categories": {"risk": dict(cat), "goal_shift": {**cat, "attribute_accuracy": {"kind": 0.83}}}}


def _run(gate: Any, tmp_path: Path, score: dict[str, Any], *extra: str) -> int:
    path = tmp_path / "score.json"
    path.write_text(json.dumps(score))
    return gate.main([str(path), "--baseline", str(tmp_path / "baseline.json"), *extra])


def test_same_figures_pass_and_a_regression_fails(gate: Any, tmp_path: Path, capsys) -> None:
    assert _run(gate, tmp_path, _score(), "--write") == 0
    assert _run(gate, tmp_path, _score()) == 0
    worse = copy.deepcopy(_score())
    worse["categories"]["goal_shift"]["f1"] -= 0.06  # e.g. a goal-shift threshold moved
    capsys.readouterr()
    assert _run(gate, tmp_path, worse) == 1
    out = capsys.readouterr()
    assert "goal_shift.f1" in out.err and "REGRESSED" in out.out


def test_a_drop_within_tolerance_passes(gate: Any, tmp_path: Path) -> None:
    _run(gate, tmp_path, _score(), "--write")
    slight = copy.deepcopy(_score())
    slight["core_macro_f1"] -= 0.015
    slight["categories"]["risk"]["attribute_accuracy"]["severity"] -= 0.07
    assert _run(gate, tmp_path, slight) == 0
    slight["core_macro_f1"] -= 0.01  # now 0.025 below: more than 0.02
    assert _run(gate, tmp_path, slight) == 1


def test_every_kind_of_figure_is_gated(gate: Any) -> None:
    names = set(gate.figures(_score()))
    assert {"core_macro_f1", "advocacy_flag_accuracy", "attribute_accuracy", "risk.precision",
            "risk.recall", "risk.f1", "risk.attr.severity", "goal_shift.attr.kind"} <= names
    for name in names:
        assert gate.tolerance(name, gate.TOLERANCES) > 0


def test_better_passes_but_does_not_move_the_baseline(gate: Any, tmp_path: Path, capsys) -> None:
    _run(gate, tmp_path, _score(), "--write")
    before = (tmp_path / "baseline.json").read_text()
    better = copy.deepcopy(_score())
    better["categories"]["risk"]["f1"] += 0.05
    assert _run(gate, tmp_path, better) == 0
    assert "make eval-baseline" in capsys.readouterr().out
    assert (tmp_path / "baseline.json").read_text() == before


def test_a_missing_figure_fails(gate: Any, tmp_path: Path) -> None:
    _run(gate, tmp_path, _score(), "--write")
    fewer = copy.deepcopy(_score())
    del fewer["categories"]["risk"]
    assert _run(gate, tmp_path, fewer) == 1


def test_the_committed_baseline_covers_every_figure_of_an_eval(gate: Any) -> None:
    baseline = json.loads(gate.BASELINE.read_text())
    names = set(baseline["figures"])
    for cat in ("goal_shift", "stakeholder_change", "risk", "value_quote", "advocacy_signal",
                "expansion_signal", "next_step"):
        assert {f"{cat}.precision", f"{cat}.recall", f"{cat}.f1"} <= names
    assert {"core_macro_f1", "advocacy_flag_accuracy", "attribute_accuracy"} <= names
