"""The prep brief: the account's record before the next meeting, every claim with its evidence.

Built from the stored record, the last meeting's changes, the commitments, the worksheet and the
advocacy asks; nothing about the customer is written here that the record does not hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, Field

from pipelines.account_state import AccountState
from pipelines.advocacy_ask import AdvocacyStatus, AskRecord, status
from pipelines.commitments import Commitment, live, ordered
from pipelines.evidence import Evidence, cite
from pipelines.goalmatch import goal_for, overlap
from pipelines.update import GOAL_KINDS, STAKEHOLDER_KINDS, Change, rejection_key
from pipelines.worksheet import AnswerTrail, Proposal, kickoff, trails

SEVERITY = {"high": 0, "medium": 1, "low": 2}
CHANGE_KINDS = GOAL_KINDS + STAKEHOLDER_KINDS
KEY_ROLES = {"executive_sponsor": "executive sponsor", "champion": "champion"}


class MeetingInfo(BaseModel):
    id: str
    held_on: date
    status: str = "done"
    highlights: int = 0
    reviewed: int = 0


class BriefInput(BaseModel):
    """Everything the brief reads, gathered by the caller (the CLI, a route, a test)."""

    state: AccountState
    initial: AccountState | None = Field(default=None, description="the record as imported")
    meetings: list[MeetingInfo] = Field(default_factory=list, description="processed, in date order")
    last_changes: list[Change] = Field(default_factory=list, description="the last meeting's changes")
    commitments: list[Commitment] = Field(default_factory=list)
    asks: list[AskRecord] = Field(default_factory=list)
    proposals: list[Proposal] = Field(default_factory=list)
    signal_kinds: dict[str, str] = Field(default_factory=dict)
    questions: dict[str, str]
    today: date
    advocacy_expiry_days: int = 90

    @property
    def dates(self) -> dict[str, date]:
        return {m.id: m.held_on for m in self.meetings}


class Item(BaseModel):
    """A statement drawn from the record, with the goal it serves where that applies."""

    text: str
    kind: str | None = None
    status: str | None = None
    owner: str | None = None
    goal_id: str | None = None
    goal: str | None = None
    quote: str | None = None
    held_on: date | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    progress: list[Evidence] = Field(default_factory=list, description="for a goal: value quotes tied to it")
    was: str | None = Field(default=None, description="for a changed goal: its text before")


class CommitmentLine(Commitment):
    now: str = Field(description="open, done or missed as of the brief's date")
    evidence: list[Evidence] = Field(default_factory=list)


class Brief(BaseModel):
    account_id: str
    name: str
    segment: str | None
    owner: str | None
    as_of: date
    renewal_date: date | None
    days_to_renewal: int | None
    meetings: list[MeetingInfo]
    why_they_bought: list[Item]
    goals: list[Item]
    changes: list[Item]
    risks: list[Item]
    value_quotes: list[Item]
    commitments: list[CommitmentLine]
    expansion: list[Item]
    advocacy: AdvocacyStatus
    worksheet: list[AnswerTrail]
    discussion: list[Item]
    missing: list[str]


def owner_of(state: AccountState) -> str | None:
    """The account's owner on our side: the CSM of the vendor team, else its first member."""
    team = [m for m in state.vendor_team if m.title and "success" in m.title.lower()] or state.vendor_team
    return team[0].name if team else None


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _goals(inp: BriefInput, quotes: list[Item]) -> list[Item]:
    out = []
    for g in sorted(inp.state.goals, key=lambda g: g.priority or 99):
        progress = [e for q in quotes if q.goal_id == g.id for e in q.evidence]
        was = (g.previous or {}).get("text")
        out.append(
            Item(
                text=g.text,
                kind=g.id,
                status=g.status or "not stated",
                goal_id=g.id,
                evidence=cite(g.source, inp.dates),
                progress=progress,
                was=was if isinstance(was, str) and was != g.text else None,
            )
        )
    return out


def _changes(inp: BriefInput) -> list[Item]:
    rejected = set(inp.state.rejected_highlights)
    out = []
    for c in inp.last_changes:
        if (
            c.kind in CHANGE_KINDS
            and rejection_key(c.source.meeting_id, c.source.highlight_id or "") not in rejected
        ):
            out.append(
                Item(
                    text=c.summary,
                    kind=c.kind,
                    held_on=inp.dates.get(c.source.meeting_id),
                    evidence=cite(c.source, inp.dates),
                )
            )
    return out


def _risks(inp: BriefInput, commitments: Sequence[Commitment]) -> list[Item]:
    out = []
    for r in sorted(
        (r for r in inp.state.risks if r.status == "open"), key=lambda r: SEVERITY.get(r.severity, 1)
    ):
        owned = [c for c in commitments if c.owner and overlap(c.action, r.summary) >= 2]
        out.append(
            Item(
                text=r.summary,
                kind=r.category,
                status=r.severity,
                owner=owned[0].owner if owned else None,
                evidence=cite(r.source, inp.dates),
            )
        )
    return out


def _quotes(inp: BriefInput) -> list[Item]:
    out = []
    for q in inp.state.value_quotes:
        goal = goal_for(q.quote, inp.state.goals)
        out.append(
            Item(
                text=q.metric or q.value_type or "value",
                kind=q.value_type,
                quote=q.quote,
                owner=q.speaker,
                goal_id=goal.id if goal else None,
                goal=goal.text if goal else None,
                evidence=cite(q.source, inp.dates),
            )
        )
    return out


def _expansion(inp: BriefInput) -> list[Item]:
    out = []
    for x in inp.state.expansion_signals:
        goal = goal_for(x.summary, inp.state.goals)
        out.append(
            Item(
                text=x.summary,
                goal_id=goal.id if goal else None,
                goal=goal.text if goal else "not yet tied to a goal",
                evidence=cite(x.source, inp.dates),
            )
        )
    return out


def _discussion(
    inp: BriefInput, goals: list[Item], risks: list[Item], commitments: list[CommitmentLine], days: int | None
) -> list[Item]:
    """Questions, each from a gap in the record."""
    st, out = inp.state, []
    for c in commitments:
        if c.now == "missed":
            out.append(
                Item(
                    text=f'{c.owner or "Someone"} committed to "{c.action}" by {c.due_date}: '
                    "what happened, and what is the new date?",
                    kind="missed commitment",
                    evidence=cite(c.source, inp.dates),
                )
            )
    for role, word in KEY_ROLES.items():
        if any(s.active and s.role == role for s in st.stakeholders):
            continue
        gone = [s for s in st.stakeholders if not s.active and s.role == role and not s.replaced_by]
        for s in gone:
            out.append(
                Item(
                    text=f"{s.name} ({word}) has left and no successor is on the record: "
                    f"who is the {word} now?",
                    kind=f"departed {word}",
                    evidence=cite(s.source, inp.dates),
                )
            )
        if not gone:
            out.append(Item(text=f"The record names no {word}: who is it?", kind=f"no {word}"))
    for g in goals:
        if g.status != "dropped" and not g.progress:
            out.append(
                Item(
                    text=f'What progress has there been on "{g.text}"? The record holds no '
                    "evidence of it yet.",
                    kind="goal without progress",
                    goal_id=g.goal_id,
                    evidence=g.evidence,
                )
            )
        if g.status == "at_risk":
            out.append(
                Item(
                    text=f'What would put "{g.text}" back on track?',
                    kind="goal at risk",
                    goal_id=g.goal_id,
                    evidence=g.evidence,
                )
            )
    for r in risks:
        if r.owner is None:
            out.append(
                Item(
                    text=f'Who owns the {r.status} {r.kind} risk "{r.text}"? No commitment addresses it.',
                    kind="risk without owner",
                    evidence=r.evidence,
                )
            )
    if days is not None and 0 <= days <= 90 and risks:
        out.append(
            Item(
                text=f"Renewal is in {days} days with {len(risks)} open risk(s): what must be true to renew?",
                kind="renewal with open risks",
            )
        )
    return out


def _missing(inp: BriefInput, brief_goals: list[Item], quotes: list[Item]) -> list[str]:
    st, out = inp.state, []
    if not inp.meetings:
        out.append("no processed meeting yet: everything below comes from the imported record")
    if not st.renewal_date:
        out.append("no renewal date")
    if not st.segment:
        out.append("no segment (high_touch, mid_touch or low_touch): the brief uses the mid-touch worksheet")
    if not brief_goals:
        out.append("no goals: ask why they bought and what success means to them")
    if not quotes:
        out.append("no value quote from the customer yet")
    if not inp.state.vendor_team:
        out.append("no owner on our side (vendor team)")
    unreviewed = [m.id for m in inp.meetings if m.highlights and m.reviewed < m.highlights]
    if unreviewed:
        out.append(f"highlights not yet reviewed in meeting(s) {', '.join(unreviewed)}")
    return out


def build(inp: BriefInput) -> Brief:
    st = inp.state
    dates = inp.dates
    renewal = _date(st.renewal_date)
    days = (renewal - inp.today).days if renewal else None
    commitments = [
        CommitmentLine(**c.model_dump(), now=c.status_on(inp.today), evidence=cite(c.source, dates))
        for c in ordered(live(inp.commitments, st), inp.today)
    ]
    quotes = _quotes(inp)
    goals = _goals(inp, quotes)
    risks = _risks(inp, commitments)
    initial = inp.initial or st
    bought = [
        Item(text=g.text, kind=g.id, status=g.status, evidence=cite(g.source, dates)) for g in initial.goals
    ]
    rejected = set(st.rejected_highlights)
    proposals = [p for p in inp.proposals if p.status != "pending" or not p.sources or any(
        rejection_key(x.meeting_id, x.highlight_id or "") not in rejected for x in p.sources)]
    trail = trails(inp.questions, kickoff(initial, inp.questions), proposals)
    return Brief(
        account_id=st.account_id,
        name=st.name,
        segment=st.segment,
        owner=owner_of(st),
        as_of=inp.today,
        renewal_date=renewal,
        days_to_renewal=days,
        meetings=inp.meetings,
        why_they_bought=bought,
        goals=goals,
        changes=_changes(inp),
        risks=risks,
        value_quotes=quotes,
        commitments=commitments,
        expansion=_expansion(inp),
        advocacy=status(st, inp.asks, dates, inp.today, inp.advocacy_expiry_days, inp.signal_kinds),
        worksheet=trail,
        discussion=_discussion(inp, goals, risks, commitments, days),
        missing=_missing(inp, goals, quotes),
    )
