"""Evaluate on a corpus folder: leave-one-meeting-out heads for meetings the shipped heads saw."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.heads import HeadSet, load_heads
from pipelines.analyze import scoring
from pipelines.analyze.corpus import load_folder
from pipelines.analyze.engine import run
from pipelines.analyze.training import train
from pipelines.analyze.training_set import Example, examples, training_examples
from pipelines.highlight import Analysis


@dataclass
class EvalResult:
    result: dict[str, Any]
    analyses: dict[str, Analysis]
    seen: list[str] = field(default_factory=list)


def evaluate(
    folder: Path,
    heads: HeadSet | None = None,
    cache_dir: Path | None = None,
    cv: bool = True,
    progress: Callable[[str, float], None] | None = None,
) -> EvalResult:
    """Analyze every meeting of ``folder`` and score it; seen meetings get leave-one-out heads."""
    heads = heads or load_heads()
    trained_on = set(heads.meta.get("trained_on", []))
    repeated = heads.meta.get("repeated", {})
    evaluated = examples(load_folder(folder), cache_dir)
    for ex in evaluated:  # in the leave-one-out pool, as the shipped heads counted them
        if ex.meeting.meeting_id in repeated.get("meetings", []):
            ex.repeats = int(repeated.get("times", 1))
    seen = [ex.meeting.meeting_id for ex in evaluated if ex.meeting.meeting_id in trained_on]
    pool: list[Example] = []
    if cv and seen:
        pool = [ex for ex in evaluated if ex.meeting.meeting_id in trained_on]
        builtin = training_examples([], cache_dir)
        pool += [
            ex
            for ex in builtin
            if ex.meeting.meeting_id in trained_on
            and ex.meeting.meeting_id not in {p.meeting.meeting_id for p in pool}
        ]
    analyses: dict[str, Analysis] = {}
    for n, ex in enumerate(evaluated):
        m = ex.meeting
        use, how = heads, "shipped heads"
        if cv and m.meeting_id in trained_on:
            use = train([p for p in pool if p.meeting.meeting_id != m.meeting_id])  # cold start: no leak
            how = f"heads retrained without it ({len(pool) - 1} meetings)"
        analyses[m.meeting_id] = run(m.transcript, m.account, m.meeting_id, ex.feats, use)
        if progress:
            progress(f"{m.meeting_id}: analyzed with {how}", (n + 1) / len(evaluated))
    raw = [json.loads(ex.meeting.path.read_text()) for ex in evaluated if ex.meeting.path]
    preds = {k: a.model_dump(mode="json") for k, a in analyses.items()}
    return EvalResult(scoring.score(raw, preds), analyses, seen)
