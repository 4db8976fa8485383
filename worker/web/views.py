"""What the pages show, read from the store: plain dataclasses the templates walk."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipelines.account_state import AccountState
from worker.db import repo
from worker.db.models import AccountRow, HighlightRow, MeetingRow, RevisionRow

SEVERITIES = ("critical", "high", "medium", "low")


@dataclass
class AccountSummary:
    """One row of the accounts page."""

    account_id: str
    name: str
    renewal_date: str | None
    segment: str | None
    owner: str | None
    risks: dict[str, int]
    last_meeting: datetime | None
    last_meeting_id: str | None
    advocacy: bool
    waiting: int
    proposals: int = 0

    @property
    def open_risks(self) -> int:
        return sum(self.risks.values())


def _owner(state: AccountState) -> str | None:
    """The account's CSM if the vendor team names one, else the first vendor team member."""
    team = state.vendor_team
    csm = [m for m in team if m.title and "csm" in m.title.casefold().replace(" ", "")
           or m.title and "customer success" in m.title.casefold()]
    pick = csm[0] if csm else (team[0] if team else None)
    return pick.name if pick else None


def account_summaries(s: Session) -> list[AccountSummary]:
    """Every account with its latest record, risk counts, last meeting and waiting highlights."""
    latest = {r.account_id: r for r in s.scalars(
        select(RevisionRow).join(AccountRow, (AccountRow.id == RevisionRow.account_id)
                                 & (AccountRow.revision == RevisionRow.number)))}
    waiting = dict(s.execute(
        select(MeetingRow.account_id, func.count(HighlightRow.id))
        .join(HighlightRow, HighlightRow.meeting_id == MeetingRow.id)
        .where(HighlightRow.review_status == "pending").group_by(MeetingRow.account_id)).all())
    proposals = dict(s.execute(
        select(MeetingRow.account_id, func.count(HighlightRow.id))
        .join(HighlightRow, HighlightRow.meeting_id == MeetingRow.id)
        .where(HighlightRow.review_status == "pending", HighlightRow.applied.is_(False))
        .group_by(MeetingRow.account_id)).all())
    last: dict[str, tuple[datetime, str]] = {}
    for account_id, created, meeting_id in s.execute(
            select(MeetingRow.account_id, MeetingRow.created_at, MeetingRow.id)
            .where(MeetingRow.status == "done").order_by(MeetingRow.created_at)):
        last[account_id] = (created, meeting_id)
    out = []
    for account in s.scalars(select(AccountRow).order_by(AccountRow.name)):
        rev = latest.get(account.id)
        if rev is None:
            continue
        state = AccountState.model_validate(rev.state)
        risks = Counter(r.severity for r in state.risks if r.status == "open")
        when = last.get(account.id)
        out.append(AccountSummary(
            account_id=account.id, name=state.name, renewal_date=state.renewal_date,
            segment=state.segment, owner=_owner(state),
            risks={sev: risks[sev] for sev in SEVERITIES if risks[sev]},
            last_meeting=when[0] if when else None, last_meeting_id=when[1] if when else None,
            advocacy=state.advocacy.flag, waiting=int(waiting.get(account.id, 0)),
            proposals=int(proposals.get(account.id, 0))))
    return out


SORTS = {
    "name": lambda a: a.name.casefold(),
    "renewal": lambda a: a.renewal_date or "9999",
    "risks": lambda a: -a.open_risks,
    "waiting": lambda a: -a.waiting,
    "last_meeting": lambda a: -(a.last_meeting.timestamp() if a.last_meeting else 0),
}


def filtered(rows: list[AccountSummary], q: str, sort: str, only: str) -> list[AccountSummary]:
    """Rows whose name/id/owner contain ``q``, narrowed by ``only`` (risks, waiting, advocacy), sorted."""
    needle = q.strip().casefold()
    if needle:
        rows = [r for r in rows if needle in f"{r.name} {r.account_id} {r.owner or ''}".casefold()]
    if only == "risks":
        rows = [r for r in rows if r.open_risks]
    elif only == "waiting":
        rows = [r for r in rows if r.waiting]
    elif only == "advocacy":
        rows = [r for r in rows if r.advocacy]
    return sorted(rows, key=SORTS.get(sort, SORTS["name"]))


@dataclass
class FieldDiff:
    name: str
    before: Any
    after: Any


@dataclass
class ChangeView:
    """One change of a revision, as a line a person reads."""

    summary: str
    kind: str
    collection: str
    fields: list[FieldDiff] = field(default_factory=list)
    source: dict[str, Any] | None = None


HIDDEN = frozenset({"source", "previous", "signals", "id"})
"""Item fields a diff line leaves out (provenance has its own link; ids mean nothing to a reader)."""


def change_views(diff: dict[str, Any] | None) -> list[ChangeView]:
    """The changes of a stored diff with the fields each one changed (before -> after)."""
    out = []
    for c in (diff or {}).get("changes", []):
        before, after = c.get("before") or {}, c.get("after") or {}
        names = [k for k in dict.fromkeys([*before, *after]) if k not in HIDDEN]
        fields = [FieldDiff(k, before.get(k), after.get(k)) for k in names if before.get(k) != after.get(k)]
        out.append(ChangeView(summary=c.get("summary", ""), kind=c.get("kind", ""),
                              collection=c.get("collection", ""), fields=fields, source=c.get("source")))
    return out


@dataclass
class RevisionView:
    number: int
    kind: str
    reason: str | None
    meeting_id: str | None
    created_at: datetime
    changes: list[ChangeView]
    rejected: list[str]


def proposals(s: Session, account_id: str) -> list[HighlightRow]:
    """Highlights of the account's meetings whose change waits for a CSM (review policy)."""
    return list(s.scalars(select(HighlightRow).join(MeetingRow)
                          .where(MeetingRow.account_id == account_id, HighlightRow.applied.is_(False),
                                 HighlightRow.review_status == "pending")
                          .order_by(HighlightRow.meeting_id, HighlightRow.start)))


def account_view(s: Session, account_id: str) -> tuple[AccountState, int, list[RevisionView],
                                                        list[MeetingRow], int]:
    """The latest record, its history (newest first), its meetings and how many highlights wait."""
    state, number = repo.account_state(s, account_id)
    revisions = [RevisionView(r.number, r.kind, r.reason, r.meeting_id, r.created_at,
                              change_views(r.diff), list((r.diff or {}).get("rejected_highlights", [])))
                 for r in reversed(repo.history(s, account_id))]
    meetings = list(s.scalars(select(MeetingRow).where(MeetingRow.account_id == account_id)
                              .order_by(MeetingRow.created_at.desc())))
    waiting = s.scalar(select(func.count(HighlightRow.id)).join(MeetingRow)
                       .where(MeetingRow.account_id == account_id,
                              HighlightRow.review_status == "pending")) or 0
    return state, number, revisions, meetings, int(waiting)
