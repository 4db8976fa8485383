"""The follow-through store: meeting dates, commitments, worksheet proposals, advocacy asks, and
what the brief, recap and portfolio read. Every function takes a session inside ``Database.session()``."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipelines.account_state import AccountState, Provenance
from pipelines.advocacy_ask import ASK_KINDS, AskRecord
from pipelines.brief import MeetingInfo
from pipelines.commitments import Commitment, from_meeting
from pipelines.update import AccountUpdate, Change
from pipelines.worksheet import Proposal, propose
from worker.db import repo
from worker.db.models import (
    AdvocacyAskRow,
    CommitmentRow,
    HighlightRow,
    MeetingRow,
    RevisionRow,
    WorksheetProposalRow,
)

OUTCOMES = ("made", "accepted", "declined")


def held_on(m: MeetingRow) -> date:
    """The day the meeting took place: as recorded, else the day it was created."""
    return m.meeting_date or m.created_at.date()


def record_meeting(s: Session, meeting_id: str, questions: dict[str, str]) -> tuple[int, int]:
    """Track the next steps a processed meeting put on the record and store the worksheet answers
    it proposes; idempotent. Returns (commitments added, proposals added)."""
    meeting = repo.get_meeting(s, meeting_id)
    rev = repo.meeting_revision(s, meeting.account_id, meeting_id)
    if rev is None:
        return 0, 0
    state = AccountState.model_validate(rev.state)
    added = [0, 0]
    for c in from_meeting(state, meeting_id, held_on(meeting)):
        if s.get(CommitmentRow, c.id) is None:
            s.add(
                CommitmentRow(
                    id=c.id,
                    account_id=c.account_id,
                    meeting_id=meeting_id,
                    highlight_id=c.highlight_id,
                    action=c.action,
                    owner=c.owner,
                    due_text=c.due_text,
                    due_date=c.due_date,
                    source=c.source.model_dump(mode="json") if c.source else None,
                )
            )
            added[0] += 1
    for p in propose(state, AccountUpdate.model_validate(rev.diff), questions):
        if s.get(WorksheetProposalRow, p.id) is None:
            s.add(
                WorksheetProposalRow(
                    id=p.id,
                    account_id=p.account_id,
                    meeting_id=meeting_id,
                    question_key=p.question_key,
                    answer=p.answer,
                    sources=[x.model_dump(mode="json") for x in p.sources],
                )
            )
            added[1] += 1
    s.flush()
    return added[0], added[1]


def catch_up(s: Session, account_id: str, questions: dict[str, str]) -> int:
    """Track the follow-through of processed meetings that have none yet (meetings processed
    before the follow-through existed); idempotent. Returns how many items were added."""
    done = s.scalars(select(MeetingRow.id).where(MeetingRow.account_id == account_id,
                                                 MeetingRow.status == "done"))
    return sum(sum(record_meeting(s, meeting_id, questions)) for meeting_id in list(done))


def _commitment(r: CommitmentRow) -> Commitment:
    return Commitment(
        id=r.id,
        account_id=r.account_id,
        meeting_id=r.meeting_id,
        highlight_id=r.highlight_id,
        action=r.action,
        owner=r.owner,
        due_text=r.due_text,
        due_date=r.due_date,
        status="done" if r.status == "done" else "open",
        done_on=r.done_on,
        source=Provenance.model_validate(r.source) if r.source else None,
    )


def commitments(s: Session, account_id: str) -> list[Commitment]:
    return [
        _commitment(r)
        for r in s.scalars(
            select(CommitmentRow)
            .where(CommitmentRow.account_id == account_id)
            .order_by(CommitmentRow.created_at, CommitmentRow.id)
        )
    ]


def mark_done(s: Session, commitment_id: str, on: date) -> Commitment:
    row = s.get(CommitmentRow, commitment_id)
    if row is None:
        raise repo.NotFoundError(
            f"commitment {commitment_id!r} not found: `alignment-worker commitments ACCOUNT_ID` lists them"
        )
    row.status, row.done_on = "done", row.done_on or on
    s.flush()
    return _commitment(row)


def _proposal(r: WorksheetProposalRow, dates: dict[str, date]) -> Proposal:
    return Proposal(
        id=r.id,
        account_id=r.account_id,
        meeting_id=r.meeting_id,
        question_key=r.question_key,
        answer=r.answer,
        sources=[Provenance.model_validate(x) for x in r.sources or []],
        status=r.status,  # type: ignore[arg-type]
        edited_answer=r.edited_answer,
        held_on=dates.get(r.meeting_id or ""),
    )


def proposals(s: Session, account_id: str) -> list[Proposal]:
    """The account's worksheet proposals in meeting order."""
    dates = {m.id: m.held_on for m in meetings(s, account_id)}
    rows = s.scalars(select(WorksheetProposalRow).where(WorksheetProposalRow.account_id == account_id))
    return sorted(
        (_proposal(r, dates) for r in rows),
        key=lambda p: (p.held_on or date.max, p.meeting_id or "", p.question_key),
    )


def review_proposal(s: Session, proposal_id: str, status: str, text: str | None = None) -> Proposal:
    """Accept, edit (with the new text) or reject a proposed answer."""
    if status not in repo.REVIEW_STATUSES:
        raise ValueError(f"review status {status!r}: use one of {', '.join(repo.REVIEW_STATUSES)}")
    if status == "edited" and not (text and text.strip()):
        raise ValueError("an edited answer needs its text")
    row = s.get(WorksheetProposalRow, proposal_id)
    if row is None:
        raise repo.NotFoundError(f"worksheet proposal {proposal_id!r} not found")
    row.status, row.reviewed_at = status, datetime.now(UTC)
    row.edited_answer = text.strip() if status == "edited" and text else row.edited_answer
    s.flush()
    return _proposal(row, {})


def asks(s: Session, account_id: str) -> list[AskRecord]:
    rows = s.scalars(
        select(AdvocacyAskRow)
        .where(AdvocacyAskRow.account_id == account_id)
        .order_by(AdvocacyAskRow.recorded_on, AdvocacyAskRow.id)
    )
    return [
        AskRecord(
            id=r.id,
            account_id=r.account_id,
            kind=r.kind,
            outcome=r.outcome,  # type: ignore[arg-type]
            recorded_on=r.recorded_on,
            note=r.note,
        )
        for r in rows
    ]


def record_ask(
    s: Session, account_id: str, kind: str, outcome: str, on: date, note: str | None = None
) -> AskRecord:
    if kind not in ASK_KINDS:
        raise ValueError(f"ask kind {kind!r}: use one of {', '.join(ASK_KINDS)}")
    if outcome not in OUTCOMES:
        raise ValueError(f"ask outcome {outcome!r}: use one of {', '.join(OUTCOMES)}")
    repo.account_state(s, account_id)  # raises NotFoundError for an unknown account
    row = AdvocacyAskRow(account_id=account_id, kind=kind, outcome=outcome, recorded_on=on, note=note)
    s.add(row)
    s.flush()
    return AskRecord(
        id=row.id,
        account_id=account_id,
        kind=kind,
        outcome=outcome,  # type: ignore[arg-type]
        recorded_on=on,
        note=note,
    )


def meetings(s: Session, account_id: str) -> list[MeetingInfo]:
    """The account's processed meetings in date order, with how many highlights are reviewed."""
    ours = (select(HighlightRow.meeting_id, func.count())
            .join(MeetingRow, MeetingRow.id == HighlightRow.meeting_id)
            .where(MeetingRow.account_id == account_id)
            .group_by(HighlightRow.meeting_id))
    counts: dict[str, int] = dict(s.execute(ours).tuples().all())
    reviewed: dict[str, int] = dict(
        s.execute(ours.where(HighlightRow.review_status != "pending")).tuples().all())
    rows = s.scalars(
        select(MeetingRow).where(MeetingRow.account_id == account_id, MeetingRow.status == "done")
    )
    out = [
        MeetingInfo(
            id=m.id,
            held_on=held_on(m),
            status=m.status,
            highlights=counts.get(m.id, 0),
            reviewed=reviewed.get(m.id, 0),
        )
        for m in rows
    ]
    return sorted(out, key=lambda m: (m.held_on, m.id))


def initial_state(s: Session, account_id: str) -> AccountState:
    """The record as first imported (revision 1)."""
    return repo.account_state(s, account_id, 1)[0]


def meeting_changes(s: Session, account_id: str) -> dict[str, list[Change]]:
    """Each applied meeting's changes, by meeting id."""
    rows = s.scalars(
        select(RevisionRow).where(RevisionRow.account_id == account_id, RevisionRow.kind == "meeting")
    )
    return {
        r.meeting_id: AccountUpdate.model_validate(r.diff).changes for r in rows if r.meeting_id and r.diff
    }


def signal_kinds(s: Session, account_id: str) -> dict[str, str]:
    """Advocacy signal highlights of the account's meetings -> the kind of advocacy each offers."""
    q = (
        select(HighlightRow.highlight_id, HighlightRow.attributes)
        .join(MeetingRow, MeetingRow.id == HighlightRow.meeting_id)
        .where(MeetingRow.account_id == account_id, HighlightRow.category == "advocacy_signal")
    )
    return {hid: str((attrs or {}).get("kind") or "praise") for hid, attrs in s.execute(q)}
