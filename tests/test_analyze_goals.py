"""Goal shifts: a changed target is scored above a restated goal and linked to the goal it changes."""
from __future__ import annotations

import pytest
from analysis_meeting import analysis, found, meeting_context

from pipelines.analyze import goals

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
            assert h.extractor == goals.NAME
            assert set(h.attributes) >= {"kind", "previous_goal_id", "goal"}


def test_a_question_whether_a_goal_still_holds_is_not_a_shift():
    from pipelines.analyze.entities import asks_if_still_holds, is_question
    from pipelines.analyze.goals import checks_not_changes

    # speech recognition often drops the "?": the word order still makes it a question
    assert is_question("Sounds good, is the uptime target still ninety nine percent.")
    assert asks_if_still_holds("Are we still aiming for June?")
    assert not is_question("The target is still ninety nine percent.")
    assert not asks_if_still_holds("We are raising the target to ninety nine percent.")
    ctx = meeting_context()
    assert checks_not_changes(ctx, 2)  # vendor: "Shall we start with where the goals stand?"
    assert not checks_not_changes(ctx, SHIFT)


def test_a_change_said_as_a_change_links_to_the_goal_as_changed():
    from pipelines.analyze.goals import CHANGE_CUE, kind_and_link

    assert kind_and_link(meeting_context(), [SHIFT], SHIFT) == ("changed", "g1")
    assert CHANGE_CUE.search("We are raising it. We now want returns under two percent.")
    assert CHANGE_CUE.search("Finance pushed the go-live date to May.")
    assert not CHANGE_CUE.search("Our new goal is to open two more stores next year.")
