"""Highlights of a meeting, and their review: accept, edit attributes, reject.

A highlight's id is unique only within its meeting, so the API names one as
``<meeting id>:<highlight id>`` (e.g. ``m_0123abcd4567ef89:h_5f2a9c0e1b3d``).
"""
from __future__ import annotations

from fastapi import APIRouter

from worker.api.deps import ReadCaller, SessionDep, WriteCaller
from worker.api.errors import ERROR_RESPONSES, ApiError, ErrorResponse
from worker.api.schemas.meetings import HighlightPublic, HighlightReviewed, HighlightUpdate
from worker.db import repo
from worker.db.models import HighlightRow

router = APIRouter(tags=["highlights"], responses=ERROR_RESPONSES)


def public(row: HighlightRow) -> HighlightPublic:
    return HighlightPublic(
        id=f"{row.meeting_id}:{row.highlight_id}", meeting_id=row.meeting_id, highlight_id=row.highlight_id,
        category=row.category, evidence=row.evidence, speaker=row.speaker, side=row.side, start=row.start,
        end=row.end, confidence=row.confidence, extractor=row.extractor, heads=row.heads,
        features=row.features, attributes=dict(row.attributes), review_status=row.review_status)  # type: ignore[arg-type]


def split_id(ref: str) -> tuple[str, str]:
    meeting_id, sep, highlight_id = ref.partition(":")
    if not sep or not meeting_id or not highlight_id:
        raise ApiError(404, "not_found",
                       f"highlight {ref!r} not found: ids look like <meeting id>:<highlight id>")
    return meeting_id, highlight_id


@router.get("/v1/meetings/{meeting_id}/highlights", response_model=list[HighlightPublic])
def meeting_highlights(meeting_id: str, s: SessionDep, _: ReadCaller) -> list[HighlightPublic]:
    """The meeting's highlights in order of time (empty until its job has finished)."""
    repo.get_meeting(s, meeting_id)
    return [public(r) for r in repo.highlights(s, meeting_id)]


@router.patch("/v1/highlights/{highlight_ref}", response_model=HighlightReviewed,
              responses={409: {"model": ErrorResponse}})
def review(highlight_ref: str, body: HighlightUpdate, s: SessionDep, _: WriteCaller) -> HighlightReviewed:
    """Accept, edit (``attributes``) or reject a highlight; edit and reject make a new revision."""
    meeting_id, highlight_id = split_id(highlight_ref)
    if body.action == "edit":
        if not body.attributes:
            raise ApiError(422, "invalid", "an edit needs `attributes`, the ones to change")
        try:
            rev = repo.edit_highlight(s, meeting_id, highlight_id, dict(body.attributes))
        except repo.RejectedError as e:
            raise ApiError(409, "conflict", str(e)) from None
        except repo.InvalidEditError as e:
            raise ApiError(422, "invalid", str(e)) from None
    else:
        status = {"accept": "accepted", "reject": "rejected"}[body.action]
        current = repo.get_highlight(s, meeting_id, highlight_id).review_status
        if status == "accepted" and current == "rejected":
            raise ApiError(409, "conflict", f"highlight {highlight_ref} was rejected and its change taken "
                           "out of the record; a rejection is final (the record's history keeps it)")
        rev = repo.review_highlight(s, meeting_id, highlight_id, status)
    return HighlightReviewed(highlight=public(repo.get_highlight(s, meeting_id, highlight_id)),
                             revision=rev.number if rev else None)
