"""Review decisions beyond accept/reject: editing a highlight's attributes, accepting a meeting's
waiting highlights at once. Each takes a session inside ``Database.session()``."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipelines.highlight import CATEGORIES, AdvocacyFlag, Analysis, Highlight
from pipelines.update import AccountUpdate, apply_update, build_update, rejection_key, revert_highlight
from worker.db import repo
from worker.db.models import HighlightRow, RevisionRow


def _row(s: Session, meeting_id: str, highlight_id: str) -> HighlightRow:
    row = s.scalars(select(HighlightRow).where(HighlightRow.meeting_id == meeting_id,
                                               HighlightRow.highlight_id == highlight_id)).first()
    if row is None:
        raise repo.NotFoundError(f"highlight {highlight_id!r} not found in meeting {meeting_id!r}")
    return row


def edit_highlight(s: Session, meeting_id: str, highlight_id: str, category: str,
                   attributes: dict[str, Any]) -> RevisionRow | None:
    """Correct a highlight: its old change comes out of the record and the corrected one goes in,
    as one new revision (None when the record does not change). The highlight is marked edited."""
    if category not in CATEGORIES:
        raise ValueError(f"category {category!r}: use one of {', '.join(CATEGORIES)}")
    meeting = repo.get_meeting(s, meeting_id)
    row = _row(s, meeting_id, highlight_id)
    account = repo._lock_account(s, meeting.account_id)
    state, _ = repo.account_state(s, meeting.account_id)
    undo = revert_highlight(state, meeting_id, highlight_id)
    middle = apply_update(state, undo.model_copy(update={"rejected_highlights": []}))
    key = rejection_key(meeting_id, highlight_id)
    middle.rejected_highlights = [k for k in middle.rejected_highlights if k != key]
    attrs = {k: v for k, v in {**row.attributes, **attributes}.items() if v not in (None, "")}
    edited = Highlight(id=row.highlight_id, category=category, evidence=row.evidence,  # type: ignore[arg-type]
                       speaker=row.speaker, side=row.side, start=row.start, end=row.end,  # type: ignore[arg-type]
                       turns=list(row.turns), confidence=row.confidence, extractor=row.extractor,
                       attributes=attrs)
    redo = build_update(Analysis(meeting_id=meeting_id, highlights=[edited],
                                 advocacy=AdvocacyFlag(flag=middle.advocacy.flag)), middle)
    row.category, row.attributes, row.review_status = category, attrs, "edited"
    final = apply_update(middle, redo)
    diff = AccountUpdate(account_id=state.account_id, changes=[*undo.changes, *redo.changes])
    if final == state:
        return None
    return repo._add_revision(s, account, final, "review", diff,
                              reason=f"highlight {highlight_id} of meeting {meeting_id} edited")


def accept_waiting(s: Session, meeting_id: str) -> int:
    """Accept every highlight of the meeting still waiting for review; returns how many."""
    rows = [h for h in repo.highlights(s, meeting_id) if h.review_status == "pending"]
    for h in rows:
        repo.review_highlight(s, meeting_id, h.highlight_id, "accepted")
    return len(rows)
