"""Meetings: upload one (multipart, streamed to disk), its status, the list of an account's."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from worker.api.accept import classify_recording, classify_transcript, create_meeting
from worker.api.deps import QueueDep, ReadCaller, ServicesDep, SessionDep, WriteCaller
from worker.api.errors import ERROR_RESPONSES, ApiError, ErrorResponse
from worker.api.metrics import UPLOAD_BYTES, UPLOADS
from worker.api.multipart import MAX_FIELD_BYTES, Form, read_form
from worker.api.schemas.meetings import MeetingAccepted, MeetingCreate, MeetingPage, MeetingPublic, Status
from worker.db import repo
from worker.db.models import MeetingRow
from worker.queue import JobQueue
from worker.services import Services
from worker.settings import Settings

router = APIRouter(prefix="/v1/meetings", tags=["meetings"], responses=ERROR_RESPONSES)

TRANSCRIPT_MAX_BYTES = 20 * 2**20
"""A platform transcript is text: 20 MiB is days of speech."""

_text = {"type": "string", "maxLength": MAX_FIELD_BYTES}
_form: dict[str, Any] = {
    "type": "object", "required": ["file", "account_id"],
    "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "the recording (any audio/video PyAV decodes), or a transcript file"},
        "transcript": {"type": "string", "format": "binary", "description": "platform WebVTT/SRT"},
        "account_id": {"type": "string", "minLength": 1, "maxLength": 200},
        "title": {"type": "string", "maxLength": 300},
        "meeting_date": {"type": "string", "format": "date"},
        "participants": {**_text, "description": 'names: a JSON list or comma-separated'},
    }}
UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _form}}}}
"""The multipart body, documented by hand: the route streams it instead of letting FastAPI parse it."""


def upload_dir(settings: Settings) -> Path:
    """Where uploads are spooled while they stream in (on disk, next to the data)."""
    return settings.data_dir / "uploads"


def public(row: MeetingRow) -> MeetingPublic:
    return MeetingPublic.model_validate({
        **{k: getattr(row, k) for k in MeetingPublic.model_fields if hasattr(row, k)},
        "has_recording": row.recording_key is not None, "has_transcript": row.transcript_key is not None})


def _fields(form: Form) -> MeetingCreate:
    known = {k: v for k, v in form.fields.items() if k in MeetingCreate.model_fields and v != ""}
    try:
        return MeetingCreate.model_validate(known)
    except ValidationError as e:
        detail = [{"loc": [str(p) for p in err["loc"]], "msg": err["msg"]} for err in e.errors()]
        raise ApiError(422, "invalid", "invalid upload fields: see detail", detail) from None


def _accept(svc: Services, queue: JobQueue, form: Form) -> MeetingAccepted:
    fields = _fields(form)
    rec = form.files.get("file")
    if rec is None:
        raise ApiError(422, "invalid", "no file: send the recording in the multipart field `file`")
    rec.path, duration = classify_recording(rec.path, rec.filename or "upload", svc.settings)
    tr = form.files.get("transcript")
    if tr is not None:
        tr.path = classify_transcript(tr.path, tr.filename or "transcript")
    return create_meeting(svc, queue, fields, rec.path, tr.path if tr else None,
                          rec.filename or rec.path.name, duration)


@router.post("", status_code=202, response_model=MeetingAccepted, openapi_extra=UPLOAD_BODY,
             responses={c: {"model": ErrorResponse} for c in (400, 413, 415, 503)})
async def upload_meeting(request: Request, svc: ServicesDep, queue: QueueDep,
                         _: WriteCaller) -> MeetingAccepted:
    """Upload a recording (streamed to disk, probed by content) and queue its job; 202."""
    limit = svc.settings.max_upload_mb * 2**20
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + TRANSCRIPT_MAX_BYTES + 2**20:
        UPLOADS.labels(result="too_large").inc()
        raise ApiError(413, "too_large", f"the upload is larger than {svc.settings.max_upload_mb} MiB "
                       "(AW_MAX_UPLOAD_MB); for large files use POST /v1/uploads", {"limit_bytes": limit})
    try:
        form = await read_form(request.headers.get("content-type", ""), request.stream(),
                               upload_dir(svc.settings), {"file": limit, "transcript": TRANSCRIPT_MAX_BYTES})
    except ApiError as e:
        UPLOADS.labels(result=e.code).inc()
        raise
    try:
        UPLOAD_BYTES.inc(sum(f.size for f in form.files.values()))
        accepted = await run_in_threadpool(_accept, svc, queue, form)
    except ApiError as e:
        UPLOADS.labels(result=e.code).inc()
        raise
    except repo.NotFoundError:
        UPLOADS.labels(result="unknown_account").inc()
        raise
    finally:
        form.cleanup()
    UPLOADS.labels(result="accepted").inc()
    return accepted


@router.get("/{meeting_id}", response_model=MeetingPublic)
def get_meeting(meeting_id: str, s: SessionDep, _: ReadCaller) -> MeetingPublic:
    """Status (queued, running, retrying, done, failed), stage, progress and error of a meeting."""
    return public(repo.get_meeting(s, meeting_id))


@router.get("", response_model=MeetingPage)
def list_meetings(s: SessionDep, _: ReadCaller,
                  account_id: Annotated[str | None, Query(max_length=200)] = None,
                  status: Status | None = None,
                  limit: Annotated[int, Query(ge=1, le=200)] = 50,
                  offset: Annotated[int, Query(ge=0, le=10**9)] = 0) -> MeetingPage:
    """Meetings, newest first, optionally of one account and in one status."""
    q = select(MeetingRow)
    if account_id is not None:
        q = q.where(MeetingRow.account_id == account_id)
    if status is not None:
        q = q.where(MeetingRow.status == status)
    total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = s.scalars(q.order_by(MeetingRow.created_at.desc(), MeetingRow.id).limit(limit).offset(offset))
    return MeetingPage(items=[public(r) for r in rows], total=total, limit=limit, offset=offset)
