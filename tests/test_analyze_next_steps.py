"""Next steps: owners (the one who commits, or the one asked) and due phrases as spoken."""
from __future__ import annotations

import pytest
from analysis_meeting import TURNS, VENDOR, found, meeting_context

from pipelines.analyze import next_steps

pytestmark = pytest.mark.slow
VENDOR_COMMITS, ASKS_RUTH, SMALL_TALK = 17, 18, 1


def test_vendor_commitment_with_owner_and_due():
    h = found("next_step", VENDOR_COMMITS)
    assert h is not None
    assert h.extractor == next_steps.NAME
    assert h.attributes["owner"] == VENDOR
    assert h.attributes["due"] == "by next Friday"


def test_small_talk_is_not_a_next_step():
    assert found("next_step", SMALL_TALK) is None


def test_owner_is_the_person_asked():
    from pipelines.analyze.next_steps import owner_of

    ctx = meeting_context()
    assert owner_of(ctx, ASKS_RUTH, TURNS[ASKS_RUTH][1]) == "Ruth Amari"
    assert owner_of(ctx, VENDOR_COMMITS, TURNS[VENDOR_COMMITS][1]) == VENDOR


def test_due_phrases_by_rule():
    from pipelines.analyze.entities import due_in

    assert due_in("I'll send it over by end of the month.") == "by end of the month"
    assert due_in("Can we meet next Tuesday?") == "next Tuesday"
    assert due_in("We should do that at some point.") is None
