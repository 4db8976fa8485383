"""The analysis stage: transcript + account -> highlights with evidence, and the advocacy flag."""

from __future__ import annotations

from models.heads import HeadSet, load_heads
from pipelines.account import Account
from pipelines.analyze import advocacy, expansion, goals, next_steps, risks, stakeholders, value  # noqa: F401
from pipelines.analyze.context import MeetingContext
from pipelines.analyze.features import FEATURE_VERSION, MeetingFeatures, featurize
from pipelines.analyze.inference import category_probs, check_heads, unknown_side_weights
from pipelines.analyze.registry import EXTRACTORS
from pipelines.highlight import CATEGORIES, Analysis
from pipelines.sides import resolve_sides
from pipelines.transcript import Transcript

ENGINE_VERSION = "aw.analyze.v2"  # v2: unknown sides stay unknown; quotes, not turns


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
    weights = unknown_side_weights(feats, heads)
    probs = category_probs(heads.heads, feats, weights)
    ctx = MeetingContext(transcript, account, feats, heads, probs, weights)
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
    sides, inferred = resolve_sides(transcript, account)
    feats = featurize(transcript, account, sides)
    return run(transcript, account, meeting_id, feats, heads, inferred)
