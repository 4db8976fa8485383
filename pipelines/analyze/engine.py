"""The analysis stage: transcript + account -> highlights with evidence, and the advocacy flag."""

from __future__ import annotations

import numpy as np

from models.heads import HeadSet, load_heads
from pipelines.account import Account
from pipelines.analyze import advocacy, expansion, goals, next_steps, risks, stakeholders, value  # noqa: F401
from pipelines.analyze.context import MeetingContext
from pipelines.analyze.features import (
    FEATURE_VERSION,
    EncodedTurns,
    MeetingFeatures,
    encode_turns,
    featurize,
    turn_texts,
)
from pipelines.analyze.inference import category_probs, check_heads
from pipelines.analyze.registry import EXTRACTORS
from pipelines.highlight import CATEGORIES, Analysis
from pipelines.sides import resolve_sides
from pipelines.transcript import Transcript

ENGINE_VERSION = "aw.analyze.v1"


def _side_scorer(transcript: Transcript, heads: HeadSet, emb: np.ndarray):
    """Mean vendor probability of a speaker's turns."""
    vendor = heads.heads["side.vendor"].proba(emb)
    speakers = np.array([s.speaker or "" for s in transcript.segments])
    return lambda name: float(vendor[speakers == name].mean()) if (speakers == name).any() else 0.5


def sides_for(
    transcript: Transcript, account: Account | None, heads: HeadSet, encoded: EncodedTurns | None = None
) -> tuple[dict, bool]:
    """Each speaker's side, inferred from what they say when the participants and account do not
    tell (``encoded``: the turns already embedded, else they are embedded here)."""
    sides, inferred = resolve_sides(transcript, account)
    if any(s is None for s in sides.values()):
        encoded = encoded or encode_turns(turn_texts(transcript))
        sides, inferred = resolve_sides(transcript, account, _side_scorer(transcript, heads, encoded.emb))
    return sides, inferred


def run(
    transcript: Transcript,
    account: Account | None,
    meeting_id: str,
    feats: MeetingFeatures,
    heads: HeadSet,
    sides_inferred: bool = False,
) -> Analysis:
    """Every registered extractor over precomputed features (used by ``analyze`` and by eval)."""
    check_heads(heads)
    ctx = MeetingContext(transcript, account, feats, heads, category_probs(heads.heads, feats))
    highlights = []
    for name in sorted(EXTRACTORS):
        highlights.extend(EXTRACTORS[name](ctx))
    highlights.sort(key=lambda h: (h.turns[0] if h.turns else 0, CATEGORIES.index(h.category)))
    signals = [h for h in highlights if h.category == "advocacy_signal"]
    return Analysis(
        meeting_id=meeting_id,
        highlights=highlights,
        advocacy=advocacy.flag(ctx, signals),
        sides_inferred=sides_inferred,
        models={
            "engine": ENGINE_VERSION,
            "features": FEATURE_VERSION,
            "heads": heads.meta.get("id", ""),
            "extractors": ",".join(sorted(EXTRACTORS)),
        },
    )


def analyze(
    transcript: Transcript, account: Account | None, meeting_id: str, heads: HeadSet | None = None
) -> Analysis:
    """Analyze one meeting: highlights a careful CSM would write down, each with its evidence."""
    heads = heads or load_heads()
    if not transcript.segments:
        return Analysis(meeting_id=meeting_id)
    encoded = encode_turns(turn_texts(transcript))
    sides, inferred = sides_for(transcript, account, heads, encoded)
    feats = featurize(transcript, account, sides, encoded)
    return run(transcript, account, meeting_id, feats, heads, inferred)
