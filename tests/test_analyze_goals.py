"""Goal shifts: a changed target is scored above a restated goal and linked to the goal it changes."""
from __future__ import annotations

import pytest
from analysis_meeting import analysis, found, meeting_context

pytestmark = pytest.mark.slow
SHIFT, RESTATED = 3, 4


def test_changed_target_is_the_most_likely_goal_shift_turn():
    ctx = meeting_context()
    p = ctx.probs["goal_shift"]
    assert int(p.argmax()) == SHIFT
    assert p[SHIFT] > 2 * p[RESTATED]


def test_restated_goal_is_not_flagged():
    assert found("goal_shift", RESTATED) is None


def test_shift_links_to_the_goal_it_changes_by_meaning():
    from pipelines.analyze.goals import link_goal

    goal_id, similarity = link_goal(meeting_context(), [SHIFT])
    assert goal_id == "g1" and similarity > 0.35


def test_new_goal_has_no_previous_goal():
    from pipelines.analyze.goals import link_goal

    goal_id, _ = link_goal(meeting_context(), [0])  # small talk is like no account goal
    assert goal_id is None


def test_highlights_carry_the_goal_shift_extractor_name():
    for h in analysis().highlights:
        if h.category == "goal_shift":
            assert h.extractor == "aw.goal_shift.v1"
            assert set(h.attributes) >= {"kind", "previous_goal_id", "goal"}
