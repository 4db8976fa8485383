"""Running the trained heads over a meeting's features: per-category turn probabilities, and which
turns a category may come from."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from models.heads import Head, HeadSet, NetworkOutput
from pipelines.analyze.features import FEATURE_VERSION, MeetingFeatures
from pipelines.highlight import CATEGORIES

# Categories taken from customer-side turns only: value in their own words and their willingness to
# advocate (by definition), their own people's changes (vendor staffing is not one) and the risks they
# voice. Leave-one-meeting-out CV on the dev corpus favoured masking the last two (stakeholder F1 +0.06).
CUSTOMER_ONLY = {"value_quote", "advocacy_signal", "stakeholder_change", "risk"}


# How much a turn of a speaker nobody placed counts for a customer-only category, at the least (a
# speaker the side head takes for certain vendor) and at the most (certain customer).
UNKNOWN_SIDE_WEIGHT = (0.5, 1.0)


def allowed(feats: MeetingFeatures, cat: str) -> np.ndarray:
    """Turns a category may come from (CUSTOMER_ONLY categories: customer-side speakers, and speakers
    whose side nobody said, who may be customers)."""
    if cat in CUSTOMER_ONLY:
        return np.array([s in ("customer", None) for s in feats.sides], dtype=bool)
    return np.ones(len(feats.texts), dtype=bool)


def unknown_side_weights(feats: MeetingFeatures, heads: HeadSet) -> np.ndarray | None:
    """Per turn, how far a customer-only category believes it: 1 for known sides; for a speaker
    whose side is unknown, lower the more vendor-like the speaker's turns read to the side head."""
    unknown = np.array([s is None for s in feats.sides], dtype=bool)
    if not unknown.any() or "side.vendor" not in heads.heads:
        return None
    vendor = heads.heads["side.vendor"].proba(feats.emb)
    speakers = np.array([s or "" for s in feats.speakers], dtype=object)
    low, high = UNKNOWN_SIDE_WEIGHT
    weights = np.ones(len(feats.texts))
    for name in set(speakers[unknown]):
        turns = unknown & (speakers == name)
        weights[turns] = high - (high - low) * float(vendor[turns].mean())
    return weights


def category_probs(
    heads: Mapping[str, Head], feats: MeetingFeatures, side_weights: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Per-category turn probabilities, zero where a category is not allowed (customer-only ones
    from customer-side turns only, and times ``side_weights`` for speakers of unknown side); a turn
    network runs once for all its categories."""
    networks: dict[int, np.ndarray] = {}
    out = {}
    for cat in CATEGORIES:
        head = heads[cat]
        if isinstance(head, NetworkOutput):
            if id(head.network) not in networks:
                networks[id(head.network)] = head.network.proba_all(feats.matrix)
            probs = networks[id(head.network)][:, head.index].copy()
        else:
            probs = head.proba(feats.matrix)
        probs[~allowed(feats, cat)] = 0.0
        if cat in CUSTOMER_ONLY and side_weights is not None:
            probs = probs * side_weights
        out[cat] = probs
    return out


def check_heads(heads: HeadSet) -> None:
    """Heads must have been trained on the features this engine computes."""
    trained = heads.meta.get("features")
    if trained != FEATURE_VERSION:
        raise RuntimeError(
            f"the heads {heads.meta.get('id', '')} were trained on features {trained}, this engine computes "
            f"{FEATURE_VERSION}: retrain them with `alignment-worker train`"
        )
