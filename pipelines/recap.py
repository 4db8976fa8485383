"""The follow-up to the customer after a meeting, in the meeting's structure: evidence (what was
achieved, in their words), change, interpretation, recommitment. Only accepted or edited
highlights go in; what is left out is said."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from pipelines.account_state import AccountState, Provenance
from pipelines.commitments import Commitment
from pipelines.document import Document, Line, Section
from pipelines.evidence import cite
from pipelines.goalmatch import goal_for
from pipelines.highlight import Highlight

IN_RECAP = ("accepted", "edited")


class ReviewedHighlight(Highlight):
    review_status: str = "pending"


class Recap(BaseModel):
    meeting_id: str
    account_id: str
    held_on: date
    included: int
    pending: int
    rejected: int
    document: Document
    commitments: list[Commitment] = Field(default_factory=list)


def _prov(h: Highlight, meeting_id: str) -> Provenance:
    quote = h.attributes.get("quote") if h.category == "value_quote" else None
    return Provenance(
        meeting_id=meeting_id,
        highlight_id=h.id,
        quote=quote or h.evidence,
        speaker=h.speaker,
        start=h.start,
        end=h.end,
        turns=list(h.turns),
        confidence=h.confidence,
        extractor=h.extractor,
    )


def _change_text(h: Highlight) -> str:
    a = h.attributes
    if h.category == "goal_shift":
        return f"goal {a.get('kind') or 'changed'}: {a.get('goal') or h.evidence}"
    who = a.get("person") or "someone"
    text = f"{who}: {str(a.get('change') or 'change').replace('_', ' ')}"
    if a.get("title"):
        text += f" ({a['title']})"
    return text + (f", succeeded by {a['replaced_by']}" if a.get("replaced_by") else "")


def _was(text: str, previous: dict[str, Any] | None) -> list[str]:
    before = (previous or {}).get("text")
    return [f"was: {before}"] if isinstance(before, str) and before != text else []


def _greeting(state: AccountState, held_on: date) -> str:
    sponsor = next((s.name for s in state.stakeholders if s.active and s.role == "executive_sponsor"), None)
    hello = f"Hi {sponsor.split()[0]}," if sponsor else "Hi all,"
    return f"{hello} thank you for the meeting on {held_on}. Here is what we heard and agreed."


def build(
    meeting_id: str,
    held_on: date,
    highlights: list[ReviewedHighlight],
    state: AccountState,
    commitments: list[Commitment],
    dates: dict[str, date] | None = None,
) -> Recap:
    """The draft recap of one meeting from its reviewed highlights and the record after it
    (``dates``: the days of the account's other meetings, to date the evidence they hold)."""
    dates = {**(dates or {}), meeting_id: held_on}
    ok = [h for h in highlights if h.review_status in IN_RECAP]
    pending = sum(1 for h in highlights if h.review_status == "pending")
    rejected = sum(1 for h in highlights if h.review_status == "rejected")

    def ev(h: Highlight) -> list:
        return cite(_prov(h, meeting_id), dates)

    evidence = [
        Line(
            text=f"{h.speaker or 'customer'}"
            + (f" — {h.attributes['metric']}" if h.attributes.get("metric") else ""),
            quote=h.attributes.get("quote") or h.evidence,
            evidence=ev(h),
        )
        for h in ok
        if h.category == "value_quote"
    ]
    change = [
        Line(text=_change_text(h), evidence=ev(h))
        for h in ok
        if h.category in ("goal_shift", "stakeholder_change")
    ]
    interpretation = []
    for h in ok:
        if h.category == "value_quote":
            goal = goal_for(h.attributes.get("quote") or h.evidence, state.goals)
            if goal:
                interpretation.append(
                    Line(
                        text=f"what {h.speaker or 'you'} described counts toward goal {goal.id}: {goal.text}",
                        evidence=ev(h),
                    )
                )
        elif h.category == "risk":
            a = h.attributes
            interpretation.append(
                Line(
                    text=f"to work through together: {a.get('summary') or h.evidence}",
                    tag=a.get("severity"),
                    evidence=ev(h),
                )
            )
        elif h.category == "expansion_signal":
            goal = goal_for(h.attributes.get("summary") or h.evidence, state.goals)
            interpretation.append(
                Line(
                    text=f"interest in more: {h.attributes.get('summary') or h.evidence}",
                    sub=[f"serves goal {goal.id}: {goal.text}" if goal else "not yet tied to a goal"],
                    evidence=ev(h),
                )
            )
    by_highlight = {c.highlight_id: c for c in commitments}
    steps = []
    for h in ok:
        if h.category != "next_step":
            continue
        c = by_highlight.get(h.id)
        due = (
            f"by {c.due_date}"
            if c and c.due_date
            else f'"{h.attributes.get("due")}"'
            if h.attributes.get("due")
            else "no date agreed"
        )
        steps.append(
            Line(
                text=f"{h.attributes.get('action') or h.evidence} — owner "
                f"{h.attributes.get('owner') or 'not named'}, {due}",
                evidence=ev(h),
                sub=[f"tracked as commitment {c.id}"] if c else [],
            )
        )
    goals = [
        Line(text=g.text, tag=g.status, evidence=cite(g.source, dates), sub=_was(g.text, g.previous))
        for g in sorted(state.goals, key=lambda g: g.priority or 99)
        if g.status != "dropped"
    ]
    if not highlights:
        notice = "This meeting has no highlights: nothing to recap beyond the goals."
    elif not ok:
        notice = (
            f"This meeting has not been reviewed: none of its {len(highlights)} highlights is "
            "accepted or edited yet, so the recap holds only the goals on record."
        )
    elif pending:
        notice = f"{pending} highlight(s) still await review and are left out."
    else:
        notice = None
    doc = Document(
        title=f"Follow-up: {state.name}, meeting of {held_on}",
        subtitle=_greeting(state, held_on),
        notice=notice,
        sections=[
            Section(title="Evidence: what you achieved, in your words", lines=evidence),
            Section(title="Change: what shifted", lines=change, empty="nothing shifted"),
            Section(title="Interpretation", lines=interpretation),
            Section(title="Recommitment: next steps", lines=steps, empty="no next step agreed"),
            Section(title="Recommitment: goals as re-agreed", lines=goals, empty="no goal on record"),
        ],
    )
    return Recap(
        meeting_id=meeting_id,
        account_id=state.account_id,
        held_on=held_on,
        included=len(ok),
        pending=pending,
        rejected=rejected,
        document=doc,
        commitments=[c for c in commitments if c.highlight_id in {h.id for h in ok}],
    )
