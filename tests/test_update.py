"""The update stage: diff building, idempotent apply, revert of a rejected highlight, schemas."""
from __future__ import annotations

import json

import jsonschema
import pytest

from pipelines.account import Account, Goal, Stakeholder, VendorMember
from pipelines.account_state import AccountExport, AccountState
from pipelines.highlight import AdvocacyFlag, Analysis, Highlight
from pipelines.schemas import schema_path, stale_schemas
from pipelines.update import (
    apply_update,
    build_update,
    rejection_key,
    revert_highlight,
)


@pytest.fixture
def state() -> AccountState:
    account = Account(
        account_id="acct-harbor", name="Harbor Freight Lines", renewal_date="2027-06-30",
        goals=[Goal(id="g1", text="Cut dock turnaround to 45 minutes", status="on_track"),
               Goal(id="g2", text="Roll out to all 12 depots", status="at_risk")],
        stakeholders=[Stakeholder(name="Maya Lindqvist", title="VP Operations", role="executive_sponsor"),
                      Stakeholder(name="Tom Okafor", title="Depot Lead", role="champion")],
        vendor_team=[VendorMember(name="Ravi Shah", title="CSM")],
    )
    return AccountState.from_account(account)


def hl(cat: str, evidence: str, turn: int, speaker: str = "Maya Lindqvist", **attributes) -> Highlight:
    return Highlight(category=cat, evidence=evidence, speaker=speaker, side="customer",
                     start=10.0 * turn, end=10.0 * turn + 4, turns=[turn], confidence=0.8,
                     attributes=attributes, extractor=f"test.{cat}.v1")


@pytest.fixture
def analysis() -> Analysis:
    hs = [
        hl("goal_shift", "we now need turnaround under 30 minutes by March", 3, kind="changed",
           previous_goal_id="g1", goal="Cut dock turnaround to 30 minutes by March"),
        hl("goal_shift", "we are pausing the depot rollout", 5, kind="dropped", previous_goal_id="g2"),
        hl("stakeholder_change", "Tom left last month, Aisha Bello took over", 7, person="Tom",
           change="departed", replaced_by="Aisha Bello"),
        hl("stakeholder_change", "Our new COO Dan Price owns this now", 8, person="Dan Price",
           change="sponsor_changed", title="COO"),
        hl("risk", "finance froze new spend until Q2", 9, category="budget", severity="high",
           summary="Spend freeze until Q2"),
        hl("value_quote", "we load trucks twenty minutes faster than last year", 11,
           quote="twenty minutes faster", value_type="time_saved", metric="20 minutes"),
        hl("advocacy_signal", "happy to be a reference", 12, kind="reference"),
        hl("expansion_signal", "we'd like the yard module for two more sites", 13,
           summary="Yard module for two more sites"),
        hl("next_step", "Ravi will send the yard pricing by Friday", 14, speaker="Ravi Shah",
           owner="Ravi Shah", action="Send yard pricing", due="Friday"),
    ]
    adv = AdvocacyFlag(flag=True, confidence=0.9, evidence=[hs[6].id], reason="win + reference offer")
    return Analysis(meeting_id="m-001", highlights=hs, advocacy=adv)


def test_build_update_covers_every_category_with_provenance(state, analysis):
    update = build_update(analysis, state)
    kinds = {c.kind for c in update.changes}
    assert {"goal_changed", "goal_dropped", "stakeholder_departed", "stakeholder_joined",
            "sponsor_changed", "risk_opened", "quote_added", "expansion_signal", "next_step",
            "advocacy_flag"} <= kinds
    by_hid = {h.id: h for h in analysis.highlights}
    for c in update.changes:
        h = by_hid[c.source.highlight_id]
        assert c.source.meeting_id == "m-001"
        assert c.source.speaker == h.speaker and c.source.start == h.start
        assert c.source.quote
    quote = update.of_kind("quote_added")[0]
    assert quote.source.quote == "twenty minutes faster"


def test_apply_sets_the_record(state, analysis):
    new = apply_update(state, build_update(analysis, state))
    goals = {g.id: g for g in new.goals}
    assert goals["g1"].text == "Cut dock turnaround to 30 minutes by March"
    assert goals["g1"].previous["text"] == "Cut dock turnaround to 45 minutes"
    assert goals["g2"].status == "dropped"
    people = {s.name: s for s in new.stakeholders}
    assert not people["Tom Okafor"].active and people["Tom Okafor"].replaced_by == "Aisha Bello"
    assert people["Aisha Bello"].role == "champion"  # inherits the departed person's role
    assert people["Dan Price"].role == "executive_sponsor" and people["Dan Price"].title == "COO"
    assert people["Maya Lindqvist"].role is None
    assert new.advocacy.flag and new.advocacy.signals[0].quote == "happy to be a reference"
    assert new.meetings == ["m-001"]
    assert [g.id for g in new.to_account().goals] == ["g1"]
    assert state.goals[0].text == "Cut dock turnaround to 45 minutes"  # input untouched


def test_apply_twice_changes_nothing(state, analysis):
    update = build_update(analysis, state)
    once = apply_update(state, update)
    assert apply_update(once, update) == once
    again = build_update(analysis, once)
    assert again.changes == []


def test_revert_takes_a_rejected_highlight_back_out(state, analysis):
    applied = apply_update(state, build_update(analysis, state))
    goal_hl, quote_hl, departed_hl = analysis.highlights[0], analysis.highlights[5], analysis.highlights[2]

    reverted = apply_update(applied, revert_highlight(applied, "m-001", goal_hl.id))
    assert {g.id: g for g in reverted.goals}["g1"].text == "Cut dock turnaround to 45 minutes"
    assert rejection_key("m-001", goal_hl.id) in reverted.rejected_highlights

    reverted = apply_update(reverted, revert_highlight(reverted, "m-001", quote_hl.id))
    assert reverted.value_quotes == []

    reverted = apply_update(reverted, revert_highlight(reverted, "m-001", departed_hl.id))
    people = {s.name: s for s in reverted.stakeholders}
    assert people["Tom Okafor"].active and "Aisha Bello" not in people

    # the rejected highlights stay out when the meeting is analysed again
    rebuilt = build_update(analysis, reverted)
    assert not {c.source.highlight_id for c in rebuilt.changes} & {goal_hl.id, quote_hl.id, departed_hl.id}


def test_a_rejection_is_scoped_to_its_meeting(state, analysis):
    risk = analysis.highlights[4]
    applied = apply_update(state, build_update(analysis, state))
    # the same highlight id in another meeting is another highlight: rejecting it reverts nothing here
    other = revert_highlight(applied, "m-002", risk.id)
    assert other.changes == [] and other.rejected_highlights == [rejection_key("m-002", risk.id)]
    rejected = apply_update(applied, revert_highlight(applied, "m-001", risk.id))
    assert rejected.risks == []
    # a later meeting with an identical highlight still adds it (only m-001's was rejected)
    later = Analysis(meeting_id="m-002", highlights=[risk])
    added = build_update(later, rejected)
    assert [(c.kind, c.source.meeting_id) for c in added.changes] == [("risk_opened", "m-002")]
    # and the first meeting re-analysed keeps its rejection
    assert risk.id not in {c.source.highlight_id for c in build_update(analysis, rejected).changes}


def test_revert_of_the_advocacy_signal_clears_the_flag(state, analysis):
    applied = apply_update(state, build_update(analysis, state))
    update = revert_highlight(applied, "m-001", analysis.highlights[6].id)
    assert update.advocacy_changed
    assert not apply_update(applied, update).advocacy.flag


def test_a_later_meeting_without_advocacy_leaves_the_flag_up(state, analysis):
    applied = apply_update(state, build_update(analysis, state))
    later = build_update(Analysis(meeting_id="m-002"), applied)
    assert later.changes == [] and apply_update(applied, later).advocacy.flag
    # a later meeting with a new signal moves the flag's evidence to that meeting
    again = build_update(Analysis(meeting_id="m-003", highlights=analysis.highlights,
                                  advocacy=analysis.advocacy), applied)
    assert [(c.kind, c.source.meeting_id) for c in again.of_kind("advocacy_flag")] == [
        ("advocacy_flag", "m-003")]


def test_new_goal_and_unknown_previous_goal(state):
    a = Analysis(meeting_id="m-3", highlights=[
        hl("goal_shift", "we also want to cut fuel spend by 10%", 2, kind="new", goal="Cut fuel spend 10%"),
        hl("goal_shift", "the old target is gone", 3, kind="changed", previous_goal_id="g9"),
    ])
    update = build_update(a, state)
    assert [c.kind for c in update.changes] == ["goal_added", "goal_added"]
    new = apply_update(state, update)
    assert len(new.goals) == 4 and new.goals[2].source.highlight_id == a.highlights[0].id


def test_unnamed_stakeholder_is_kept_by_title_or_skipped(state):
    a = Analysis(meeting_id="m-4", highlights=[
        hl("stakeholder_change", "we hired a new head of procurement", 2, person=None, change="joined",
           title="Head of Procurement"),
        hl("stakeholder_change", "someone on the team left", 3, person=None, change="departed"),
    ])
    update = build_update(a, state)
    assert [(c.kind, c.key) for c in update.changes] == [
        ("stakeholder_joined", "(unnamed) Head of Procurement")]


def test_schemas_are_published_and_current(state, analysis):
    assert stale_schemas(["account_update", "account_export"]) == [], "run python -m pipelines.schemas"
    update = build_update(analysis, state)
    jsonschema.validate(update.model_dump(mode="json"),
                        json.loads(schema_path("account_update").read_text()))
    export = AccountExport(revision=1, account=apply_update(state, update))
    jsonschema.validate(export.model_dump(mode="json", by_alias=True),
                        json.loads(schema_path("account_export").read_text()))
