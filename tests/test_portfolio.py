"""Portfolio rows: reset marking and its reasons, attention order, filters (pure, no store)."""

from __future__ import annotations

from datetime import date

from pipelines.account import Account, Goal, Stakeholder, VendorMember
from pipelines.account_state import AccountState
from pipelines.advocacy_ask import AdvocacyStatus
from pipelines.brief import MeetingInfo
from pipelines.commitments import Commitment
from pipelines.highlight import Analysis, Highlight
from pipelines.portfolio import RESET, AccountDigest, build, to_document
from pipelines.update import apply_update, build_update

TODAY = date(2026, 6, 1)


def _account(account_id: str, owner: str, segment: str) -> AccountState:
    return AccountState.from_account(
        Account(
            account_id=account_id,
            name=account_id.title(),
            segment=segment,
            renewal_date="2026-07-15",
            goals=[Goal(id="g1", text="Halve glaze defects", status="on_track")],
            stakeholders=[Stakeholder(name="Ines Moreau", title="COO", role="executive_sponsor")],
            vendor_team=[VendorMember(name=owner, title="Customer Success Manager")],
        )
    )


def _meeting(state: AccountState, meeting_id: str, *hs: Highlight) -> tuple[AccountState, list]:
    update = build_update(Analysis(meeting_id=meeting_id, highlights=list(hs)), state)
    return apply_update(state, update), update.changes


def _h(kind: str, evidence: str, **attrs: object) -> Highlight:
    return Highlight(
        category=kind,  # type: ignore[arg-type]
        evidence=evidence,
        speaker="Ines Moreau",
        turns=[3],
        confidence=0.8,
        extractor="test.v1",
        attributes=dict(attrs),
    )


def test_sponsor_gone_with_no_successor_needs_a_reset_and_comes_first():
    kiln, changes = _meeting(
        _account("kiln", "Sam Patel", "high_touch"),
        "m1",
        _h("stakeholder_change", "Ines left last week", person="Ines Moreau", change="departed"),
    )
    calm = _account("calm", "Lee Wong", "low_touch")
    meetings = [MeetingInfo(id="m1", held_on=date(2026, 5, 20))]
    off = AdvocacyStatus(reason="none")
    rows = build(
        [
            AccountDigest(state=calm, meetings=meetings, advocacy=off),
            AccountDigest(state=kiln, meetings=meetings, changes=changes, advocacy=off),
        ],
        TODAY,
    )
    assert [r.account_id for r in rows] == ["kiln", "calm"]
    assert rows[0].reset and rows[0].reasons == ["executive sponsor Ines Moreau gone with no successor"]
    change = next(s for s in rows[0].signals if s.kind == "sponsor or champion change")
    assert change.evidence[0].meeting_id == "m1" and change.evidence[0].held_on == date(2026, 5, 20)
    assert not rows[1].reset
    assert RESET in to_document(rows, TODAY, 30).sections[0].lines[0].text


def test_high_risk_and_missed_commitment_together_need_a_reset_and_filters_apply():
    kiln, changes = _meeting(
        _account("kiln", "Sam Patel", "mid_touch"),
        "m1",
        _h("risk", "the CFO froze spend", severity="high", category="budget", summary="Spend frozen"),
    )
    missed = Commitment(
        id="k1",
        account_id="kiln",
        meeting_id="m1",
        action="Send the plan",
        owner="Sam Patel",
        due_date=date(2026, 5, 22),
    )
    digest = AccountDigest(
        state=kiln,
        meetings=[MeetingInfo(id="m1", held_on=date(2026, 5, 20))],
        changes=changes,
        commitments=[missed],
        advocacy=AdvocacyStatus(reason="none"),
    )
    (row,) = build([digest], TODAY)
    assert row.reset and row.reasons == ["1 high risk(s) open", "1 commitment(s) missed"]
    assert {"new high risk", "missed commitment", "renewal with open risks"} <= {s.kind for s in row.signals}
    assert build([digest], TODAY, owner="someone else") == []
    assert build([digest], TODAY, segment="high_touch") == []
    assert build([digest], TODAY, owner="sam")[0].account_id == "kiln"
    # only the risk: no reset
    alone = digest.model_copy(update={"commitments": []})
    assert not build([alone], TODAY)[0].reset
