"""Evaluate on a corpus folder: leave-one-meeting-out heads for meetings the shipped heads saw."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.heads import HeadSet, load_heads
from pipelines.analyze import scoring
from pipelines.analyze.corpus import LabeledMeeting, load_folder
from pipelines.analyze.engine import run
from pipelines.analyze.features import featurize_cached
from pipelines.analyze.sides import resolve_sides
from pipelines.analyze.training import CORPUS_REPEATS, Example, train
from pipelines.highlight import Analysis

TRAINING_DIR = Path(__file__).resolve().parents[2] / "models" / "training" / "meetings"


@dataclass
class EvalResult:
    result: dict[str, Any]
    analyses: dict[str, Analysis]
    seen: list[str] = field(default_factory=list)


def examples(meetings: list[LabeledMeeting], cache_dir: Path | None, repeats: int = 1) -> list[Example]:
    """Meetings with their (cached) features; sides as the corpus states them."""
    out = []
    for m in meetings:
        sides, _ = resolve_sides(m.transcript, m.account)
        out.append(Example(m, featurize_cached(m.transcript, m.account, sides, cache_dir), repeats))
    return out


def training_examples(
    folders: list[Path], cache_dir: Path | None, include_builtin: bool = True
) -> list[Example]:
    """Examples from corpus folders (each counting CORPUS_REPEATS times) plus the labeled meetings
    shipped under models/training."""
    corpus: list[LabeledMeeting] = []
    for folder in folders:
        corpus.extend(load_folder(folder))
    ours: list[LabeledMeeting] = []
    if include_builtin and TRAINING_DIR.is_dir() and any(TRAINING_DIR.glob("*.json")):
        known = {m.meeting_id for m in corpus}
        ours = [m for m in load_folder(TRAINING_DIR) if m.meeting_id not in known]
    return examples(corpus, cache_dir, CORPUS_REPEATS) + examples(ours, cache_dir)


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
        use = heads
        if cv and m.meeting_id in trained_on:
            use = train([p for p in pool if p.meeting.meeting_id != m.meeting_id])  # cold start: no leak
        analyses[m.meeting_id] = run(m.transcript, m.account, m.meeting_id, ex.feats, use)
        if progress:
            progress(f"analyzed {m.meeting_id}", (n + 1) / len(evaluated))
    raw = [json.loads(ex.meeting.path.read_text()) for ex in evaluated if ex.meeting.path]
    preds = {k: a.model_dump(mode="json") for k, a in analyses.items()}
    return EvalResult(scoring.score(raw, preds), analyses, seen)
