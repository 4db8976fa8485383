"""Upload a recording (and optionally a platform transcript); then live status by stage."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import select

from worker.api.deps import QueueDep
from worker.db.models import AccountRow
from worker.web.auth import ServicesDep, WebUser, WebWriter
from worker.web.templating import page

router = APIRouter()


@router.get("/upload", name="upload_page", response_class=HTMLResponse)
def upload_page(request: Request, svc: ServicesDep, web: WebUser, account_id: str = "") -> HTMLResponse:
    with svc.db.session() as s:
        accounts = [(a.id, a.name) for a in s.scalars(select(AccountRow).order_by(AccountRow.name))]
    return page(request, "upload.html", title="Upload a meeting", accounts=accounts, selected=account_id,
                max_mb=svc.settings.max_upload_mb)


@router.post("/upload", name="upload")
async def upload(request: Request, svc: ServicesDep, queue: QueueDep, web: WebWriter) -> JSONResponse:
    """The page's XHR upload: the same streaming, probing, intake and queueing as ``POST /v1/meetings``
    (fields ``file``, ``transcript``, ``account_id``); answers that route's JSON (or its error)."""
    from worker.api.routes.meetings import upload_meeting

    accepted = await upload_meeting(request, svc, queue, None)  # type: ignore[arg-type]
    return JSONResponse({"meeting_id": accepted.id,
                         "status_url": str(request.url_for("meeting_status", meeting_id=accepted.id)),
                         "page_url": str(request.url_for("meeting_page", meeting_id=accepted.id))},
                        status_code=201)
