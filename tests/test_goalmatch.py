"""Which goal a quote or an expansion signal serves: distinctive shared words, else none."""
from __future__ import annotations

from pipelines.account_state import GoalItem
from pipelines.goalmatch import goal_for, stems

GOALS = [
    GoalItem(id="g1", text="Cut claim cycle time for auto damage", status="on_track"),
    GoalItem(id="g2", text="Route most low-severity claims straight through intake", status="at_risk"),
    GoalItem(id="g3", text="Retire the legacy booking tool", status="dropped"),
]


def test_a_distinctive_word_ties_a_shared_one_does_not():
    assert goal_for("intake is finally hands-off for the small ones", GOALS).id == "g2"  # type: ignore[union-attr]
    assert goal_for("the cycle on auto jobs is down two days", GOALS).id == "g1"  # type: ignore[union-attr]
    assert goal_for("claims complaints went down", GOALS) is None  # "claim" is in both goals
    assert goal_for("we want the new booking tool too", GOALS) is None  # a dropped goal serves nothing
    assert goal_for("we've been happy", GOALS) is None


def test_a_changed_goal_keeps_the_words_of_its_previous_text():
    moved = GoalItem(id="g1", text="End of Q2 next year", status="changed",
                     previous={"text": "Cut claim cycle time for auto damage"})
    assert goal_for("auto damage cycle is at nine days", [moved, GOALS[1]]).id == "g1"  # type: ignore[union-attr]
    assert "we" not in stems("we've done it") and "done" in stems("we've done it")
