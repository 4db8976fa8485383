"""The meeting page: player, transcript, highlights with accept / edit / reject, speakers, export."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pipelines.highlight import CATEGORIES
from worker.db import repo
from worker.web.auth import ServicesDep, WebUser, WebWriter
from worker.web.meeting_view import edit_fields, meeting_view
from worker.web.templating import page

router = APIRouter()


@router.get("/meetings/{meeting_id}", name="meeting_page", response_class=HTMLResponse)
def meeting_page(request: Request, meeting_id: str, svc: ServicesDep, web: WebUser,
                 t: float = 0.0) -> HTMLResponse:
    with svc.db.session() as s:
        view = meeting_view(s, svc.storage, meeting_id)
    return page(request, "meeting.html", title=view.meeting.filename or meeting_id, view=view,
                start=max(0.0, t), categories=CATEGORIES, edit_fields=edit_fields)


@router.get("/meetings/{meeting_id}/status", name="meeting_status", response_class=HTMLResponse)
def meeting_status(request: Request, meeting_id: str, svc: ServicesDep, web: WebUser) -> HTMLResponse:
    """The live status fragment (htmx polls it every second until the job is done or failed)."""
    from worker.jobs import STAGES

    with svc.db.session() as s:
        meeting = repo.get_meeting(s, meeting_id)
    return page(request, "_status.html", m=meeting, stages=STAGES)


def _card(request: Request, svc: ServicesDep, meeting_id: str, highlight_id: str,
          message: str) -> Response:
    """The updated highlight card for htmx, or back to the page for a plain form post."""
    if request.headers.get("hx-request") != "true":
        return RedirectResponse(request.url_for("meeting_page", meeting_id=meeting_id)
                                .replace(fragment=f"h-{highlight_id}"),
                                status_code=303)
    with svc.db.session() as s:
        view = meeting_view(s, svc.storage, meeting_id)
    h = next(h for _, rows in view.groups for h in rows if h.highlight_id == highlight_id)
    return page(request, "_highlight.html", view=view, h=h, message=message, categories=CATEGORIES,
                edit_fields=edit_fields)


@router.post("/meetings/{meeting_id}/highlights/{highlight_id}/review", name="review_highlight")
def review_highlight(request: Request, meeting_id: str, highlight_id: str, svc: ServicesDep, web: WebWriter,
                     decision: Annotated[str, Form(max_length=20)]) -> Response:
    """Accept or reject one highlight (rejecting takes its change out of the record: a new revision)."""
    if decision not in ("accepted", "rejected"):
        raise ValueError(f"decision {decision!r}: accepted or rejected")
    with svc.db.session() as s:
        current = repo.get_highlight(s, meeting_id, highlight_id).review_status
        if decision == "accepted" and current == "rejected":
            raise ValueError("this highlight was rejected and its change taken out of the record; a "
                             "rejection is final (the API refuses it too; the history keeps it)")
        revision = repo.review_highlight(s, meeting_id, highlight_id, decision)
    done = (f"Rejected; the record is now at revision {revision.number}." if revision
            else f"{decision.capitalize()}.")
    return _card(request, svc, meeting_id, highlight_id, done)


@router.post("/meetings/{meeting_id}/highlights/{highlight_id}/edit", name="edit_highlight")
async def edit_highlight(request: Request, meeting_id: str, highlight_id: str, svc: ServicesDep,
                         web: WebWriter) -> Response:
    """Correct what a highlight puts into the record (a new revision with the corrected change)."""
    from worker.web.meeting_view import EDITABLE

    form = await request.form()
    with svc.db.session() as s:
        category = repo.get_highlight(s, meeting_id, highlight_id).category
        attributes = {name: str(form[name]).strip()[:500] or None
                      for name in EDITABLE.get(category, ()) if name in form}
        revision = repo.edit_highlight(s, meeting_id, highlight_id, attributes)
    done = (f"Saved; the record is now at revision {revision.number}." if revision
            else "Saved (no change to the record).")
    return _card(request, svc, meeting_id, highlight_id, done)


@router.post("/meetings/{meeting_id}/accept-all", name="accept_all")
def accept_all(request: Request, meeting_id: str, svc: ServicesDep, web: WebWriter) -> RedirectResponse:
    with svc.db.session() as s:
        for h in repo.highlights(s, meeting_id):
            if h.review_status == "pending":
                repo.review_highlight(s, meeting_id, h.highlight_id, "accepted")
    return RedirectResponse(request.url_for("meeting_page", meeting_id=meeting_id), status_code=303)


@router.get("/meetings/{meeting_id}/audio", name="meeting_audio")
def meeting_audio(request: Request, meeting_id: str, svc: ServicesDep, web: WebUser) -> Response:
    """The recording, with HTTP Range (the player seeks without downloading it all): the API's
    ``GET /v1/meetings/{id}/audio`` under the page's sign-in."""
    from worker.api.routes.meeting_files import audio

    with svc.db.session() as s:
        return audio(meeting_id, s, svc.storage, None, request.headers.get("range"))  # type: ignore[arg-type]
