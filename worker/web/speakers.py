"""Speakers on the meeting page: rename, set the side, merge two; a confirmed speaker's voice is enrolled."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from worker.db import repo
from worker.db.models import SpeakerEditRow
from worker.web.auth import ServicesDep, WebWriter
from worker.web.meeting_view import speaker_edits

router = APIRouter()

SIDES = ("customer", "vendor")


def set_speaker(s: Session, meeting_id: str, label: str, name: str, side: str | None,
                confirmed: bool) -> SpeakerEditRow:
    """Store a reviewer's name/side for the speaker the pipeline called ``label``."""
    repo.get_meeting(s, meeting_id)
    name = name.strip()[:200]
    if not name:
        raise ValueError("a speaker needs a name")
    if side is not None and side not in SIDES:
        raise ValueError(f"side {side!r}: customer or vendor")
    row = speaker_edits(s, meeting_id).get(label)
    if row is None:
        row = SpeakerEditRow(meeting_id=meeting_id, label=label, name=name, side=side, confirmed=confirmed)
        s.add(row)
    else:
        row.name, row.side, row.confirmed = name, side, confirmed
    s.flush()
    return row


@router.post("/meetings/{meeting_id}/speakers", name="edit_speaker")
def edit_speaker(request: Request, meeting_id: str, svc: ServicesDep, web: WebWriter,
                 label: Annotated[str, Form(max_length=200)], name: Annotated[str, Form(max_length=200)],
                 side: Annotated[str, Form(max_length=20)] = "",
                 confirm: Annotated[str, Form(max_length=5)] = "") -> RedirectResponse:
    with svc.db.session() as s:
        set_speaker(s, meeting_id, label, name, side or None, bool(confirm))
    if confirm:
        from worker.web.background import enroll_later

        enroll_later(svc, meeting_id, label)
    return RedirectResponse(str(request.url_for("meeting_page", meeting_id=meeting_id)) + "#speakers-h",
                            status_code=303)


@router.post("/meetings/{meeting_id}/speakers/merge", name="merge_speakers")
def merge_speakers(request: Request, meeting_id: str, svc: ServicesDep, web: WebWriter,
                   source: Annotated[str, Form(max_length=200)],
                   target: Annotated[str, Form(max_length=200)]) -> RedirectResponse:
    """Everything ``source`` said is attributed to ``target`` (name and side)."""
    if source == target:
        raise ValueError("pick two different speakers to merge")
    with svc.db.session() as s:
        into = speaker_edits(s, meeting_id).get(target)
        view_side = into.side if into else None
        set_speaker(s, meeting_id, source, into.name if into else target, view_side, False)
    return RedirectResponse(str(request.url_for("meeting_page", meeting_id=meeting_id)) + "#speakers-h",
                            status_code=303)
