"""The advocacy ask: when the flag is up, a draft ask of the kind the signal supports, in the
customer's own words; the flag stays up until an ask is recorded or the flag expires."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from pipelines.account_state import AccountState
from pipelines.evidence import Evidence, cite

Outcome = Literal["made", "accepted", "declined"]
ASK_KINDS = ("reference", "review", "case_study", "referral", "testimonial")
SUPPORTED = {
    "reference": "reference",
    "review": "review",
    "case_study": "case_study",
    "referral": "referral",
    "testimonial": "testimonial",
    "speaking": "case_study",
    "praise": "testimonial",
}
"""The ask each signal kind supports (strong praise supports a testimonial)."""
REQUEST = {
    "reference": "speak with a peer who is evaluating us, as a reference",
    "review": "write a short public review",
    "case_study": "work with us on a case study",
    "referral": "introduce us to a peer who could use the same",
    "testimonial": "let us quote those words as a testimonial",
}


class AskRecord(BaseModel):
    """An ask that was made, and how the customer answered."""

    id: int | None = None
    account_id: str
    kind: str
    outcome: Outcome
    recorded_on: date
    note: str | None = None


class AdvocacyStatus(BaseModel):
    """Whether to ask now, what to ask for, the draft, and the evidence that justifies it."""

    up: bool = False
    reason: str
    kind: str | None = None
    raised_on: date | None = None
    expires_on: date | None = None
    draft: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


def status(
    state: AccountState,
    asks: list[AskRecord],
    dates: dict[str, date],
    today: date,
    expiry_days: int,
    signal_kinds: dict[str, str],
) -> AdvocacyStatus:
    """The flag as it stands ``today``; ``signal_kinds`` maps a highlight id to its signal kind."""
    adv = state.advocacy
    if not adv.flag or adv.source is None:
        return AdvocacyStatus(reason="no advocacy signal on the record")
    raised = dates.get(adv.source.meeting_id)
    expires = raised + timedelta(days=expiry_days) if raised else None
    evidence = [e for s in (adv.signals or [adv.source]) for e in cite(s, dates)]
    done = [a for a in asks if raised is None or a.recorded_on >= raised]
    if done:
        last = done[-1]
        return AdvocacyStatus(
            reason=f"{last.kind} ask recorded as {last.outcome} on {last.recorded_on}",
            kind=last.kind,
            raised_on=raised,
            evidence=evidence,
        )
    if expires and today > expires:
        return AdvocacyStatus(
            reason=f"flag raised {raised} expired on {expires} ({expiry_days} days) with no ask recorded",
            raised_on=raised,
            expires_on=expires,
            evidence=evidence,
        )
    kinds = [signal_kinds.get(s.highlight_id or "", "praise") for s in adv.signals] or ["praise"]
    kind = next((SUPPORTED[k] for k in kinds if k != "praise" and k in SUPPORTED), SUPPORTED["praise"])
    return AdvocacyStatus(
        up=True,
        reason=adv.reason or "advocacy signal",
        kind=kind,
        raised_on=raised,
        expires_on=expires,
        draft=draft(state, kind, evidence),
        evidence=evidence,
    )


def draft(state: AccountState, kind: str, evidence: list[Evidence]) -> str:
    """The ask, quoting the customer's words; only the quote and its date come from the meeting."""
    quoted = next((e for e in evidence if e.quote), None)
    who = (quoted.speaker if quoted and quoted.speaker else None) or _sponsor(state) or "there"
    first = who.split()[0]
    said = (
        f"when we met{' on ' + quoted.held_on.isoformat() if quoted and quoted.held_on else ''}, "
        f'you said: "{quoted.quote.strip()}" '
        if quoted
        else ""
    )
    return f"{first}, {said}Could we ask you to {REQUEST[kind]}?"


def _sponsor(state: AccountState) -> str | None:
    return next((s.name for s in state.stakeholders if s.active and s.role == "executive_sponsor"), None)
