"""The advocacy ask: up after a signal, down when an ask is recorded or the flag expires, up again
after a new signal; the draft quotes the customer."""

from __future__ import annotations

from datetime import date, timedelta

from pipelines.account import Account, Stakeholder
from pipelines.account_state import AccountState
from pipelines.advocacy_ask import AskRecord, status
from pipelines.highlight import AdvocacyFlag, Analysis, Highlight
from pipelines.update import apply_update, build_update

SAID = "we would gladly take calls from other clinics about this"


def _state() -> AccountState:
    return AccountState.from_account(
        Account(
            account_id="a1",
            name="Kiln",
            stakeholders=[Stakeholder(name="Ines Moreau", title="COO", role="executive_sponsor")],
        )
    )


def _signal(meeting_id: str, state: AccountState) -> AccountState:
    h = Highlight(
        category="advocacy_signal",
        evidence=SAID,
        speaker="Ines Moreau",
        start=61.0,
        turns=[9],
        confidence=0.9,
        extractor="test.adv.v1",
        attributes={"kind": "reference"},
    )
    a = Analysis(
        meeting_id=meeting_id,
        highlights=[h],
        advocacy=AdvocacyFlag(flag=True, confidence=0.9, evidence=[h.id], reason="offered calls"),
    )
    return apply_update(state, build_update(a, state))


def test_flag_up_with_a_draft_in_their_words_until_an_ask_is_recorded_or_it_expires():
    dates = {"m1": date(2026, 3, 2), "m2": date(2026, 4, 6), "m3": date(2026, 5, 4)}
    state = _signal("m1", _state())
    kinds = {s.highlight_id or "": "reference" for s in state.advocacy.signals}
    up = status(state, [], dates, date(2026, 3, 10), 90, kinds)
    assert up.up and up.kind == "reference" and up.raised_on == dates["m1"]
    assert up.draft and up.draft.startswith("Ines,") and f'"{SAID}"' in up.draft
    assert (
        up.evidence[0].highlight_id == state.advocacy.signals[0].highlight_id and up.evidence[0].start == 61.0
    )
    # a later meeting without a signal leaves it up
    quiet = apply_update(state, build_update(Analysis(meeting_id="m2"), state))
    assert status(quiet, [], dates, date(2026, 4, 7), 90, kinds).up
    # it expires
    late = dates["m1"] + timedelta(days=91)
    assert "expired" in status(quiet, [], dates, late, 90, kinds).reason
    # an ask recorded brings it down
    asked = [AskRecord(account_id="a1", kind="reference", outcome="declined", recorded_on=date(2026, 4, 8))]
    down = status(quiet, asked, dates, date(2026, 4, 9), 90, kinds)
    assert not down.up and "declined" in down.reason
    # a new signal after the ask raises it again
    again = _signal("m3", quiet)
    assert status(again, asked, dates, date(2026, 5, 5), 90, kinds).up


def test_praise_supports_a_testimonial_and_no_flag_means_no_ask():
    state = _signal("m1", _state())
    assert status(state, [], {"m1": date(2026, 3, 2)}, date(2026, 3, 3), 90, {}).kind == "testimonial"
    none = status(_state(), [], {}, date(2026, 3, 3), 90, {})
    assert not none.up and none.draft is None
