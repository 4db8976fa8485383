"""Inference over features: customer-only categories, and the feature cache key."""
from __future__ import annotations

from pipelines.analyze import features as features_module
from pipelines.analyze.inference import CUSTOMER_ONLY, allowed
from pipelines.transcript import Segment, Transcript


class _Feats:
    texts = ["a", "b", "c"]
    sides = ["vendor", "customer", None]


def test_customer_only_categories_come_from_customer_turns_only():
    feats = _Feats()
    for cat in CUSTOMER_ONLY:
        assert allowed(feats, cat).tolist() == [False, True, False]  # type: ignore[arg-type]
    assert allowed(feats, "next_step").tolist() == [True, True, True]  # type: ignore[arg-type]


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
