"""The portfolio: what needs attention across accounts in a period, each row with its evidence.

An account is marked "needs a reset, not an alignment meeting" when its executive sponsor is gone
with no successor, or when two of these hold: that, a high risk open, a commitment missed.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, Field

from pipelines.account_state import AccountState
from pipelines.advocacy_ask import AdvocacyStatus
from pipelines.brief import MeetingInfo, owner_of
from pipelines.commitments import Commitment, live
from pipelines.document import Document, Line, Section
from pipelines.evidence import Evidence, cite
from pipelines.update import Change, rejection_key

RESET = "needs a reset, not an alignment meeting"
WEIGHT = {
    "missed commitment": 3,
    "new high risk": 3,
    "sponsor or champion change": 3,
    "renewal with open risks": 3,
    "no recent meeting": 2,
    "goal shift": 1,
    "advocacy ready": 1,
}


class AccountDigest(BaseModel):
    """One account as the portfolio reads it."""

    state: AccountState
    meetings: list[MeetingInfo] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list, description="changes made by meetings, all time")
    commitments: list[Commitment] = Field(default_factory=list)
    advocacy: AdvocacyStatus


class Signal(BaseModel):
    kind: str
    text: str
    evidence: list[Evidence] = Field(default_factory=list)


class Row(BaseModel):
    account_id: str
    name: str
    owner: str | None
    segment: str | None
    score: int
    reset: bool
    reasons: list[str]
    signals: list[Signal]


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _signals(d: AccountDigest, today: date, since: date, quiet_days: int) -> list[Signal]:
    st, dates = d.state, {m.id: m.held_on for m in d.meetings}
    rejected = set(st.rejected_highlights)
    recent = [
        c
        for c in d.changes
        if dates.get(c.source.meeting_id, date.min) >= since
        and rejection_key(c.source.meeting_id, c.source.highlight_id or "") not in rejected
    ]
    out = [
        Signal(kind="goal shift", text=c.summary, evidence=cite(c.source, dates))
        for c in recent
        if c.kind.startswith("goal_")
    ]
    for c in recent:
        role = (c.before or {}).get("role") or (c.after or {}).get("role")
        if c.kind in ("sponsor_changed", "champion_changed") or (
            c.kind == "stakeholder_departed" and role in ("executive_sponsor", "champion")
        ):
            out.append(
                Signal(kind="sponsor or champion change", text=c.summary, evidence=cite(c.source, dates))
            )
    recent_risks = {c.key for c in recent if c.kind == "risk_opened"}
    out += [
        Signal(kind="new high risk", text=r.summary, evidence=cite(r.source, dates))
        for r in st.risks
        if r.id in recent_risks and r.severity == "high" and r.status == "open"
    ]
    if d.advocacy.up:
        out.append(
            Signal(
                kind="advocacy ready",
                text=f"{d.advocacy.kind} ask: {d.advocacy.reason}",
                evidence=d.advocacy.evidence,
            )
        )
    renewal = _date(st.renewal_date)
    open_risks = [r for r in st.risks if r.status == "open"]
    if renewal and 0 <= (renewal - today).days <= 90 and open_risks:
        out.append(
            Signal(
                kind="renewal with open risks",
                text=f"renewal {renewal} in {(renewal - today).days} "
                f"days with {len(open_risks)} open risk(s)",
                evidence=[e for r in open_risks for e in cite(r.source, dates)],
            )
        )
    last = max((m.held_on for m in d.meetings), default=None)
    if last is None or (today - last).days > quiet_days:
        out.append(
            Signal(
                kind="no recent meeting",
                text=f"no meeting in {quiet_days} days"
                + (f" (last {last})" if last else " (none processed)"),
            )
        )
    for k in live(d.commitments, st):
        if k.status_on(today) == "missed":
            out.append(
                Signal(
                    kind="missed commitment",
                    text=f"{k.action} ({k.owner or 'no owner'}, due {k.due_date})",
                    evidence=cite(k.source, dates),
                )
            )
    return out


def _reset(d: AccountDigest, today: date) -> list[str]:
    st, reasons = d.state, []
    if not any(s.active and s.role == "executive_sponsor" for s in st.stakeholders):
        gone = [
            s.name
            for s in st.stakeholders
            if not s.active and s.role == "executive_sponsor" and not s.replaced_by
        ]
        if gone:
            reasons.append(f"executive sponsor {', '.join(gone)} gone with no successor")
    high = [r for r in st.risks if r.status == "open" and r.severity == "high"]
    if high:
        reasons.append(f"{len(high)} high risk(s) open")
    missed = [c for c in live(d.commitments, st) if c.status_on(today) == "missed"]
    if missed:
        reasons.append(f"{len(missed)} commitment(s) missed")
    sponsor_gone = bool(reasons) and reasons[0].startswith("executive sponsor")
    return reasons if sponsor_gone or len(reasons) >= 2 else []


def build(
    digests: list[AccountDigest],
    today: date,
    since_days: int = 30,
    quiet_days: int = 60,
    owner: str | None = None,
    segment: str | None = None,
) -> list[Row]:
    """Rows for the accounts that match the filters, what needs attention first."""
    since = today - timedelta(days=since_days)
    rows = []
    for d in digests:
        own = owner_of(d.state)
        if owner and not (own and owner.casefold() in own.casefold()):
            continue
        if segment and d.state.segment != segment:
            continue
        signals = _signals(d, today, since, quiet_days)
        reasons = _reset(d, today)
        rows.append(
            Row(
                account_id=d.state.account_id,
                name=d.state.name,
                owner=own,
                segment=d.state.segment,
                score=sum(WEIGHT[s.kind] for s in signals),
                reset=bool(reasons),
                reasons=reasons,
                signals=signals,
            )
        )
    return sorted(rows, key=lambda r: (not r.reset, -r.score, r.name))


def to_document(rows: list[Row], today: date, since_days: int) -> Document:
    sections = []
    for r in rows:
        lines = [Line(text=RESET, tag="reset", sub=r.reasons)] if r.reset else []
        lines += [Line(text=s.text, tag=s.kind, evidence=s.evidence) for s in r.signals]
        sections.append(
            Section(
                title=f"{r.name} ({r.account_id}) · {r.segment or 'no segment'} · "
                f"owner {r.owner or 'none'} · attention {r.score}",
                lines=lines,
                empty="nothing needs attention",
            )
        )
    return Document(
        title="Portfolio",
        subtitle=f"as of {today}, changes of the last {since_days} days, "
        f"{len(rows)} account(s), what needs attention first",
        sections=sections,
    )
