"""Inference over features: customer-only categories, unknown sides, and the feature cache key."""
from __future__ import annotations

import numpy as np

from models.heads import HeadSet, LinearHead
from pipelines.analyze import features as features_module
from pipelines.analyze.inference import CUSTOMER_ONLY, UNKNOWN_SIDE_WEIGHT, allowed, unknown_side_weights
from pipelines.transcript import Segment, Transcript


class _Feats:
    texts = ["a", "b", "c"]
    sides = ["vendor", "customer", None]


def test_customer_only_categories_come_from_customer_turns_and_turns_of_unknown_side():
    feats = _Feats()
    for cat in CUSTOMER_ONLY:
        assert allowed(feats, cat).tolist() == [False, True, True]  # type: ignore[arg-type]
    assert allowed(feats, "next_step").tolist() == [True, True, True]  # type: ignore[arg-type]


def test_unknown_side_speakers_count_less_the_more_vendor_like_they_read():
    class Feats:
        texts = ["a", "b", "c", "d"]
        speakers = ["Known", "Seller", "Seller", "Buyer"]
        sides = ["customer", None, None, None]
        emb = np.array([[0.0], [9.0], [7.0], [-9.0]])  # the toy side head: vendor when positive

    side = LinearHead(np.zeros(1), np.ones(1), np.ones((1, 1)), np.zeros(1))
    weights = unknown_side_weights(Feats(), HeadSet({"side.vendor": side}, {}))  # type: ignore[arg-type]
    assert weights is not None
    low, high = UNKNOWN_SIDE_WEIGHT
    assert weights[0] == 1.0  # a known side is not discounted
    assert weights[1] == weights[2] and low <= weights[1] < low + 0.01  # one weight per speaker
    assert high - 0.01 < weights[3] <= high
    Feats.sides = ["customer", "vendor", "vendor", "customer"]
    assert unknown_side_weights(Feats(), HeadSet({"side.vendor": side}, {})) is None  # type: ignore[arg-type]


def test_cache_key_changes_with_word_families_and_prototypes(monkeypatch):
    t = Transcript(segments=[Segment(id=0, text="We froze the budget.", speaker="A")])
    key = features_module.cache_key(t, None, {"A": "customer"})
    assert features_module.cache_key(t, None, {"A": "customer"}) == key
    monkeypatch.setitem(features_module.TURN_FAMILIES, "extra", r"\bfroze\b")
    assert features_module.cache_key(t, None, {"A": "customer"}) != key
    monkeypatch.undo()
    monkeypatch.setitem(features_module.PROTOTYPES, "risk", ("a new phrase",))
    assert features_module.cache_key(t, None, {"A": "customer"}) != key
    assert len(key) == 16
