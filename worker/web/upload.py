"""Upload a recording (and optionally a platform transcript); then live status by stage."""
from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from pipelines.errors import BadInputError
from worker.api.deps import QueueDep
from worker.db.models import AccountRow
from worker.intake import is_transcript_file, new_meeting
from worker.services import Services
from worker.web.auth import ServicesDep, WebUser, WebWriter
from worker.web.templating import page

router = APIRouter()


@router.get("/upload", name="upload_page", response_class=HTMLResponse)
def upload_page(request: Request, svc: ServicesDep, web: WebUser, account_id: str = "") -> HTMLResponse:
    with svc.db.session() as s:
        accounts = [(a.id, a.name) for a in s.scalars(select(AccountRow).order_by(AccountRow.name))]
    return page(request, "upload.html", title="Upload a meeting", accounts=accounts, selected=account_id,
                max_mb=svc.settings.max_upload_mb)


def _safe_name(name: str | None, fallback: str) -> str:
    base = Path(name or fallback).name.strip() or fallback
    return base[:200]


def _spool(upload: UploadFile, folder: Path, fallback: str, limit: int) -> Path:
    """The upload as a file in ``folder`` (keeping its suffix); refuses more than ``limit`` bytes."""
    name = _safe_name(upload.filename, fallback)
    path = folder / f"{fallback}{Path(name).suffix.lower()}"
    with path.open("wb") as out:
        copied = 0
        while block := upload.file.read(1 << 20):
            copied += len(block)
            if copied > limit:
                raise BadInputError(f"{name} is larger than the {limit // 2**20} MiB limit "
                                    "(AW_MAX_UPLOAD_MB); upload a shorter or compressed recording")
            out.write(block)
    return path


def check_inputs(svc: Services, recording: Path, transcript: Path | None, name: str) -> float | None:
    """Refuse what the job would fail on anyway, before anything is stored; the duration if known."""
    from pipelines.audio import probe_audio
    from worker.stages import read_platform

    if transcript is not None:
        read_platform(transcript)
    if is_transcript_file(recording):
        read_platform(recording)
        return None
    try:
        info = probe_audio(recording, max_bytes=svc.settings.max_upload_mb * 2**20,
                           max_duration_s=svc.settings.max_duration_s)
    except BadInputError as e:
        raise BadInputError(f"{name} is not a recording we can read ({e}). Upload an audio or video "
                            "file (wav, mp3, m4a, ogg, webm, mp4) or a transcript (VTT, SRT).") from None
    return info.duration


def _intake(svc: Services, account_id: str, recording: UploadFile,
            transcript: UploadFile | None) -> tuple[str, float | None]:
    """Spool, check and store the uploads, creating the meeting (``worker.intake``); nothing is
    stored when a file is refused."""
    limit = svc.settings.max_upload_mb * 2**20
    name = _safe_name(recording.filename, "recording")
    with tempfile.TemporaryDirectory(prefix="aw-upload-") as tmp:
        rec = _spool(recording, Path(tmp), "recording", limit)
        plat = _spool(transcript, Path(tmp), "transcript", limit) if transcript else None
        duration = check_inputs(svc, rec, plat, name)
        return new_meeting(svc, account_id, rec, plat, filename=name), duration


def _answer(request: Request, status: int, **body: str) -> Response:
    if request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse(body, status_code=status)
    if status >= 400:
        return page(request, "error.html", status_code=status, title="Upload refused",
                    message=body.get("error", ""))
    return RedirectResponse(body["status_url"], status_code=303)


@router.post("/upload", name="upload")
async def upload(request: Request, svc: ServicesDep, queue: QueueDep, web: WebWriter) -> Response:
    """Store the files, create the meeting and queue its job; JSON for the page's XHR, else a redirect."""
    from worker.db import repo

    form = await request.form()
    account_id = str(form.get("account_id") or "")
    recording = form.get("recording")
    transcript = form.get("transcript")
    if not isinstance(recording, UploadFile) or not recording.filename:
        return _answer(request, 400, error="Choose a recording (or a transcript file) to upload.")
    plat = transcript if isinstance(transcript, UploadFile) and transcript.filename else None
    try:
        meeting_id, duration = await run_in_threadpool(_intake, svc, account_id, recording, plat)
    except (BadInputError, repo.NotFoundError) as e:
        return _answer(request, 400, error=str(e))
    queue.enqueue_meeting(meeting_id, duration)  # the API's queue: RQ, or the database queue
    return _answer(request, 201, meeting_id=meeting_id,
                   status_url=str(request.url_for("meeting_status", meeting_id=meeting_id)),
                   page_url=str(request.url_for("meeting_page", meeting_id=meeting_id)))
