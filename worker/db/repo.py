"""The account store's operations. Every function takes a session inside ``Database.session()``."""
from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pipelines.account_state import AccountState
from pipelines.highlight import AdvocacyFlag, Analysis, Highlight, attributes_for
from pipelines.update import AccountUpdate, apply_update, build_update, rejection_key, revert_highlight
from worker.db.models import AccountRow, HighlightRow, MeetingRow, RevisionRow

REVIEW_STATUSES = ("pending", "accepted", "edited", "rejected")


class NotFoundError(LookupError):
    """An account, meeting or highlight id that is not in the store."""


def _lock_account(s: Session, account_id: str) -> AccountRow:
    """The account row, write-locked for this transaction (row lock on PostgreSQL, db lock on SQLite)."""
    s.execute(update(AccountRow).where(AccountRow.id == account_id).values(revision=AccountRow.revision))
    row = s.get(AccountRow, account_id, populate_existing=True)
    if row is None:
        raise NotFoundError(f"account {account_id!r} not found: import it with "
                            "`alignment-worker account import ACCOUNT.json`")
    return row


def _add_revision(s: Session, account: AccountRow, state: AccountState, kind: str,
                  diff: AccountUpdate | None, meeting_id: str | None = None,
                  reason: str | None = None) -> RevisionRow:
    account.revision += 1
    account.name = state.name
    row = RevisionRow(account_id=account.id, number=account.revision, kind=kind, meeting_id=meeting_id,
                      reason=reason, state=state.model_dump(mode="json"),
                      diff=diff.model_dump(mode="json") if diff else None)
    s.add(row)
    s.flush()
    return row


def import_account(s: Session, state: AccountState) -> RevisionRow:
    """Store an imported record as the account's first revision (or a new one if it exists)."""
    account = s.get(AccountRow, state.account_id)
    if account is None:
        account = AccountRow(id=state.account_id, name=state.name, revision=0)
        s.add(account)
        s.flush()
    else:
        account = _lock_account(s, state.account_id)
    return _add_revision(s, account, state, "import", None, reason="imported")


def account_state(s: Session, account_id: str, number: int | None = None) -> tuple[AccountState, int]:
    """The record at revision ``number`` (default: the latest) and that number."""
    q = select(RevisionRow).where(RevisionRow.account_id == account_id)
    q = q.where(RevisionRow.number == number) if number is not None else q
    row = s.scalars(q.order_by(RevisionRow.number.desc()).limit(1)).first()
    if row is None:
        raise NotFoundError(f"account {account_id!r}" + (f" revision {number}" if number else "")
                            + " not found: see `alignment-worker account import --help`")
    return AccountState.model_validate(row.state), row.number


def history(s: Session, account_id: str) -> list[RevisionRow]:
    rows = list(s.scalars(select(RevisionRow).where(RevisionRow.account_id == account_id)
                          .order_by(RevisionRow.number)))
    if not rows:
        raise NotFoundError(f"account {account_id!r} not found")
    return rows


def meeting_revision(s: Session, account_id: str, meeting_id: str) -> RevisionRow | None:
    return s.scalars(select(RevisionRow).where(RevisionRow.account_id == account_id,
                                               RevisionRow.meeting_id == meeting_id)).first()


def apply_meeting(s: Session, account_id: str,
                  analysis: Analysis) -> tuple[RevisionRow | None, AccountUpdate]:
    """Apply a meeting's analysis as one new revision; a meeting already applied adds nothing."""
    account = _lock_account(s, account_id)
    done = meeting_revision(s, account_id, analysis.meeting_id)
    if done is not None:
        return done, AccountUpdate.model_validate(done.diff)
    state, _ = account_state(s, account_id)
    diff = build_update(analysis, state)
    if diff.empty:
        return None, diff
    return _add_revision(s, account, apply_update(state, diff), "meeting", diff, analysis.meeting_id), diff


def new_meeting_id() -> str:
    return "m_" + uuid.uuid4().hex[:16]


def create_meeting(s: Session, account_id: str, *, meeting_id: str | None = None,
                   **fields: Any) -> MeetingRow:
    if s.get(AccountRow, account_id) is None:
        raise NotFoundError(f"account {account_id!r} not found: import it first with "
                            "`alignment-worker account import ACCOUNT.json`")
    row = MeetingRow(id=meeting_id or new_meeting_id(), account_id=account_id, **fields)
    s.add(row)
    s.flush()
    return row


def get_meeting(s: Session, meeting_id: str) -> MeetingRow:
    row = s.get(MeetingRow, meeting_id)
    if row is None:
        raise NotFoundError(f"meeting {meeting_id!r} not found")
    return row


def set_meeting(s: Session, meeting_id: str, **fields: Any) -> None:
    """Update a meeting's status/stage/progress/error/... in place."""
    s.execute(update(MeetingRow).where(MeetingRow.id == meeting_id).values(**fields))


def save_highlights(s: Session, meeting_id: str, analysis: Analysis) -> int:
    """Store the meeting's highlights once: a meeting that has them keeps them (and their review
    decisions), so a re-run adds nothing; returns how many were added."""
    have = s.scalars(select(HighlightRow.id).where(HighlightRow.meeting_id == meeting_id).limit(1)).first()
    if have is not None:
        return 0
    new = list({h.id: h for h in analysis.highlights}.values())
    for h in new:
        s.add(HighlightRow(meeting_id=meeting_id, highlight_id=h.id, category=h.category,
                           evidence=h.evidence, speaker=h.speaker, side=h.side, start=h.start, end=h.end,
                           turns=list(h.turns), confidence=h.confidence, extractor=h.extractor,
                           heads=h.heads, features=h.features, attributes=dict(h.attributes)))
    s.flush()
    return len(new)


def highlights(s: Session, meeting_id: str) -> list[HighlightRow]:
    return list(s.scalars(select(HighlightRow).where(HighlightRow.meeting_id == meeting_id)
                          .order_by(HighlightRow.start, HighlightRow.id)))


def get_highlight(s: Session, meeting_id: str, highlight_id: str) -> HighlightRow:
    row = s.scalars(select(HighlightRow).where(HighlightRow.meeting_id == meeting_id,
                                               HighlightRow.highlight_id == highlight_id)).first()
    if row is None:
        raise NotFoundError(f"highlight {highlight_id!r} not found in meeting {meeting_id!r}")
    return row


def review_highlight(s: Session, meeting_id: str, highlight_id: str, status: str) -> RevisionRow | None:
    """Record a review decision; rejecting takes the highlight's change out in a new revision."""
    if status not in REVIEW_STATUSES:
        raise ValueError(f"review status {status!r}: use one of {', '.join(REVIEW_STATUSES)}")
    meeting = get_meeting(s, meeting_id)
    row = get_highlight(s, meeting_id, highlight_id)
    row.review_status = status
    if not row.applied:  # a proposal: accepting puts its change in, rejecting leaves it out
        return _apply_proposal(s, meeting.account_id, row) if status == "accepted" else None
    if status != "rejected":
        return None
    account = _lock_account(s, meeting.account_id)
    state, _ = account_state(s, meeting.account_id)
    if rejection_key(meeting_id, highlight_id) in state.rejected_highlights:
        return None
    diff = revert_highlight(state, meeting_id, highlight_id)
    return _add_revision(s, account, apply_update(state, diff), "review", diff,
                         reason=f"highlight {highlight_id} of meeting {meeting_id} rejected")


def _as_highlight(row: HighlightRow) -> Highlight:
    return Highlight.model_validate(dict(
        id=row.highlight_id, category=row.category, evidence=row.evidence, speaker=row.speaker,
        side=row.side, start=row.start, end=row.end, turns=list(row.turns), confidence=row.confidence,
        attributes=row.attributes, extractor=row.extractor, heads=row.heads, features=row.features))


def _apply_proposal(s: Session, account_id: str, row: HighlightRow) -> RevisionRow | None:
    """Put a waiting highlight's change into the record as a new revision (review policy)."""
    account = _lock_account(s, account_id)
    state, _ = account_state(s, account_id)
    row.applied = True
    keep_flag = AdvocacyFlag(flag=state.advocacy.flag)
    diff = build_update(Analysis(meeting_id=row.meeting_id, highlights=[_as_highlight(row)],
                                 advocacy=keep_flag), state).model_copy(update={"meeting_id": None})
    if diff.empty:
        return None
    return _add_revision(s, account, apply_update(state, diff), "review", diff,
                         reason=f"proposal {row.highlight_id} of meeting {row.meeting_id} accepted")


class RejectedError(ValueError):
    """An edit of a highlight whose change a review already took out of the record."""


class InvalidEditError(ValueError):
    """Edited attributes that the highlight's category does not have, or values it does not take."""


def _check_attributes(category: str, values: dict[str, Any]) -> None:
    try:
        attributes_for(category, values)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors())
        raise InvalidEditError(f"not attributes of a {category} highlight: {problems}") from None


def edit_highlight(s: Session, meeting_id: str, highlight_id: str,
                   attributes: dict[str, Any]) -> RevisionRow | None:
    """Change a highlight's attributes and make its change to the record again with them, as one
    new revision (its old change taken out, the edited one put in); None if the record is the same."""
    meeting = get_meeting(s, meeting_id)
    row = get_highlight(s, meeting_id, highlight_id)
    account = _lock_account(s, meeting.account_id)
    state, _ = account_state(s, meeting.account_id)
    if rejection_key(meeting_id, highlight_id) in state.rejected_highlights:
        raise RejectedError(f"highlight {highlight_id} of meeting {meeting_id} was rejected: it has no "
                            "change in the record to edit")
    _check_attributes(row.category, {**row.attributes, **attributes})
    row.attributes = {**row.attributes, **attributes}
    row.review_status = "edited"
    row.applied = True  # an edited proposal goes in with the corrections
    out = revert_highlight(state, meeting_id, highlight_id, why="edited").model_copy(
        update={"rejected_highlights": []})
    between = apply_update(state, out)
    edited = Highlight.model_validate(dict(
        id=row.highlight_id, category=row.category, evidence=row.evidence, speaker=row.speaker,
        side=row.side, start=row.start, end=row.end, turns=list(row.turns), confidence=row.confidence,
        attributes=row.attributes, extractor=row.extractor, heads=row.heads, features=row.features))
    keep_flag = AdvocacyFlag(flag=between.advocacy.flag)  # an attribute edit does not move the flag
    back = build_update(Analysis(meeting_id=meeting_id, highlights=[edited], advocacy=keep_flag), between)
    diff = AccountUpdate(account_id=state.account_id, changes=[*out.changes, *back.changes])
    after = apply_update(state, diff)
    if after.model_dump(mode="json") == state.model_dump(mode="json"):
        return None
    return _add_revision(s, account, after, "review", diff,
                         reason=f"highlight {highlight_id} of meeting {meeting_id} edited")
