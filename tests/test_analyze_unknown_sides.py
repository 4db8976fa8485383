"""Unknown sides stay unknown: a speaker nobody placed is read as possibly customer, with less
confidence, and the highlight says so."""
from __future__ import annotations

import pytest
from analysis_meeting import CHAMPION, SPONSOR, analysis

pytestmark = pytest.mark.slow


def test_customer_only_categories_still_come_from_speakers_of_unknown_side():
    known = analysis(with_account=False)
    unknown = analysis(with_sides=False, with_account=False)
    customer_only = {"value_quote", "risk", "advocacy_signal", "stakeholder_change"}
    found = [h for h in unknown.highlights if h.category in customer_only]
    assert found, "a customer-only category is silenced when sides are unknown"
    assert all(h.side is None and h.side_unknown for h in found)
    assert {h.speaker for h in found} <= {SPONSOR, CHAMPION}
    by_key = {(h.category, tuple(h.turns)): h.confidence for h in known.highlights}
    for h in found:
        if (h.category, tuple(h.turns)) in by_key:
            assert h.confidence <= by_key[h.category, tuple(h.turns)] + 1e-6


def test_no_speaker_is_made_vendor():
    result = analysis(with_sides=False, with_account=False)
    assert not any(h.side == "vendor" for h in result.highlights)
    assert not result.sides_inferred
