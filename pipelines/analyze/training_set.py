"""The training set: labeled meetings with their (cached) features, and how many times each counts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from models.heads import training_meeting_files
from pipelines.analyze.corpus import LabeledMeeting, load_folder, load_labeled
from pipelines.analyze.features import MeetingFeatures, featurize_cached
from pipelines.sides import resolve_sides

# How many times a meeting of a corpus folder given to `train` counts against one of our own training
# meetings (models/training). The corpus is written by the people who judge the output; ours imitate it.
# Leave-one-meeting-out on the dev corpus (a fast harness, whole-turn embeddings): core macro F1
# 0.748 counting them once, 0.760 three times.
CORPUS_REPEATS = 3


@dataclass
class Example:
    """A labeled meeting with its features."""

    meeting: LabeledMeeting
    feats: MeetingFeatures
    repeats: int = 1  # how many times it counts when fitting (CORPUS_REPEATS for corpus meetings)


def repeated(examples: list[Example]) -> list[Example]:
    """Each example as many times as it counts when fitting."""
    return [ex for ex in examples for _ in range(ex.repeats)]


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
    shipped with the models (``models.heads.training_meeting_files``)."""
    corpus: list[LabeledMeeting] = []
    for folder in folders:
        corpus.extend(load_folder(folder))
    ours: list[LabeledMeeting] = []
    if include_builtin:
        known = {m.meeting_id for m in corpus}
        ours = [m for m in map(load_labeled, training_meeting_files()) if m.meeting_id not in known]
    return examples(corpus, cache_dir, CORPUS_REPEATS) + examples(ours, cache_dir)
