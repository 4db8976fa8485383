"""The extraction-quality gate: every figure of ``alignment-worker eval`` against a committed baseline.

    .venv/bin/python bench/eval_gate.py build/eval/score.json [--baseline bench/baselines/eval.json]
    .venv/bin/python bench/eval_gate.py build/eval/score.json --write     # accept the figures

Fails (exit 1) when any figure (per category precision, recall and F1, every attribute accuracy, the
advocacy flag accuracy, the overall attribute accuracy and the core macro F1) is below its baseline
by more than the tolerance the baseline states for that kind of figure. A better figure only moves
the baseline when someone runs ``--write`` (``make eval-baseline``) and commits the file.

With ``--predictions DIR --gold DIR`` it also scores the same prediction files with the corpus
scorer (../shared/eval/score.py) and fails if any figure differs from the product's scorer.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "bench" / "baselines" / "eval.json"
TOLERANCES = {
    "core_macro_f1": 0.02,
    "f1": 0.05,
    "precision": 0.08,
    "recall": 0.08,
    "attribute": 0.08,
    "attribute_accuracy": 0.03,
    "advocacy_flag_accuracy": 0.075,
}
"""How far each kind of figure may fall before the gate fails. The eval is deterministic on one
machine (fixed seeds, same folds), but a retraining on another CPU or library build can move a
borderline item across a threshold: in the smaller categories one item is 0.02-0.04 of F1 and
precision or recall moves more. So the gate lets one such item go and fails on anything bigger:
a category's F1 falling by more than 0.05, the core macro F1 by more than 0.02, or a second
wrong advocacy flag of the 14 dev meetings (one is 0.071)."""


def figures(score: dict[str, Any]) -> dict[str, float]:
    """Every gated figure of a score.json, by a flat name (``risk.f1``, ``risk.attr.severity``)."""
    out = {name: float(score[name]) for name in ("core_macro_f1", "advocacy_flag_accuracy",
                                                 "attribute_accuracy") if name in score}
    for cat, c in score["categories"].items():
        for kind in ("precision", "recall", "f1"):
            out[f"{cat}.{kind}"] = float(c[kind])
        for attr, value in c.get("attribute_accuracy", {}).items():
            out[f"{cat}.attr.{attr}"] = float(value)
    return out


def tolerance(name: str, tolerances: dict[str, float]) -> float:
    """The tolerance of a figure, by its kind (the last part of its name, or ``attribute``)."""
    if name in tolerances:
        return tolerances[name]
    kind = "attribute" if ".attr." in name else name.rsplit(".", 1)[-1]
    return tolerances[kind]


def compare(now: dict[str, float], baseline: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """(lines of the report table, names that regressed, names that improved)."""
    base, tol = baseline["figures"], {**TOLERANCES, **baseline.get("tolerances", {})}
    lines = [f"{'figure':<40}{'baseline':>9}{'now':>8}{'change':>8}{'allowed':>9}  verdict"]
    worse, better = [], []
    for name in sorted(set(base) | set(now)):
        if name not in now:
            worse.append(name)
            lines.append(f"{name:<40}{base[name]:>9.3f}{'-':>8}{'':>8}{'':>9}  MISSING")
            continue
        if name not in base:
            lines.append(f"{name:<40}{'-':>9}{now[name]:>8.3f}{'':>8}{'':>9}  new (not gated yet)")
            continue
        delta, allowed = now[name] - base[name], tolerance(name, tol)
        verdict = "ok"
        if delta < -allowed - 1e-9:
            verdict = "REGRESSED"
            worse.append(name)
        elif delta > 1e-9:
            verdict = "better"
            better.append(name)
        lines.append(f"{name:<40}{base[name]:>9.3f}{now[name]:>8.3f}{delta:>+8.3f}{allowed:>9.3f}  {verdict}")
    return lines, worse, better


def corpus_disagreements(score: dict[str, Any], predictions: Path, gold: Path) -> list[str]:
    """Figures on which the corpus scorer disagrees with the product's scorer for the same files."""
    path = gold.parent / "score.py"
    spec = importlib.util.spec_from_file_location("corpus_score", path)
    if spec is None or spec.loader is None:
        return [f"cannot load the corpus scorer {path}"]
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    theirs = figures(module.score(gold, predictions, list(score["categories"])))
    ours = figures(score)
    return [f"{name}: product {ours.get(name)} vs corpus scorer {theirs.get(name)}"
            for name in sorted(set(theirs) | set(ours))
            if name != "attribute_accuracy" and ours.get(name) != theirs.get(name)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("score", type=Path, help="score.json written by `alignment-worker eval --out DIR`")
    ap.add_argument("--baseline", type=Path, default=BASELINE)
    ap.add_argument("--write", action="store_true", help="make these figures the new baseline")
    ap.add_argument("--predictions", type=Path, help="the prediction files eval wrote (its --out)")
    ap.add_argument("--gold", type=Path, help="the corpus folder they were scored against")
    args = ap.parse_args(argv)
    score = json.loads(args.score.read_text())
    now = figures(score)
    if args.write:
        old = json.loads(args.baseline.read_text()) if args.baseline.is_file() else {}
        args.baseline.parent.mkdir(parents=True, exist_ok=True)
        args.baseline.write_text(json.dumps({
            "about": f"figures of `alignment-worker eval` written to {args.score}; checked by "
                     "bench/eval_gate.py (make eval), updated with make eval-baseline",
            "tolerances": old.get("tolerances", TOLERANCES),
            "figures": {k: round(v, 3) for k, v in sorted(now.items())}}, indent=2) + "\n")
        print(f"baseline written: {args.baseline} ({len(now)} figures); commit it to keep it")
        return 0
    if not args.baseline.is_file():
        print(f"no baseline at {args.baseline}: run with --write first", file=sys.stderr)
        return 2
    lines, worse, better = compare(now, json.loads(args.baseline.read_text()))
    print("\n".join(lines))
    failed = bool(worse)
    if args.predictions and args.gold:
        differ = corpus_disagreements(score, args.predictions, args.gold)
        print(f"corpus scorer on the same predictions: {'agrees' if not differ else 'DISAGREES'}")
        for line in differ:
            print(f"  {line}")
        failed = failed or bool(differ)
    if better and not worse:
        print(f"{len(better)} figures better than the baseline: to keep them, run `make eval-baseline` "
              "and commit bench/baselines/eval.json")
    if worse:
        print(f"quality gate FAILED: {len(worse)} figures fell by more than their tolerance: "
              + ", ".join(worse), file=sys.stderr)
    else:
        print("quality gate passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
