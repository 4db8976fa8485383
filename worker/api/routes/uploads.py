"""Large files straight to S3: ``POST /v1/uploads`` signs a POST policy for exactly the declared
size, type and key (expiring after AW_UPLOAD_URL_EXPIRY_S); ``POST /v1/uploads/{id}/complete``
checks the object is there with that size, probes it, creates the meeting and queues it.

The pending upload is a small manifest object next to the file (``uploads/<id>.json``): no table.
"""
from __future__ import annotations

import secrets
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from starlette.concurrency import run_in_threadpool

from worker.api.accept import classify_recording, create_meeting
from worker.api.deps import QueueDep, ServicesDep, WriteCaller
from worker.api.errors import ERROR_RESPONSES, ApiError, ErrorResponse
from worker.api.metrics import UPLOAD_BYTES, UPLOADS
from worker.api.schemas.meetings import MeetingAccepted, MeetingCreate
from worker.api.schemas.uploads import UploadCreate, UploadTicket
from worker.queue import JobQueue
from worker.services import Services
from worker.storage import S3Storage, local_copy

router = APIRouter(prefix="/v1/uploads", tags=["uploads"], responses=ERROR_RESPONSES)

UploadId = Annotated[str, PathParam(pattern=r"^u_[0-9a-f]{24}$", description="from POST /v1/uploads")]


def _s3(svc: Services) -> S3Storage:
    if not isinstance(svc.storage, S3Storage):
        raise ApiError(409, "conflict", "direct uploads need S3 storage (AW_STORAGE_URL=s3://bucket/prefix); "
                       "with folder storage, POST the file to /v1/meetings")
    return svc.storage


def _keys(upload_id: str) -> tuple[str, str]:
    """(file key, manifest key) of an upload."""
    return f"uploads/{upload_id}/file", f"uploads/{upload_id}.json"


@router.post("", status_code=201, response_model=UploadTicket,
             responses={c: {"model": ErrorResponse} for c in (409, 413)})
def start_upload(body: UploadCreate, svc: ServicesDep, _: WriteCaller) -> UploadTicket:
    """A signed form to send one file of exactly ``size`` bytes straight to the object store."""
    storage = _s3(svc)
    limit = svc.settings.max_upload_mb * 2**20
    if body.size > limit:
        raise ApiError(413, "too_large", f"{body.size} bytes is over {svc.settings.max_upload_mb} MiB "
                       "(AW_MAX_UPLOAD_MB)", {"limit_bytes": limit})
    from worker.intake import require_account

    require_account(svc, body.account_id)
    upload_id = "u_" + secrets.token_hex(12)
    file_key, manifest_key = _keys(upload_id)
    expiry = svc.settings.upload_url_expiry_s
    form = storage.presigned_post(file_key, body.content_type, body.size, expiry)
    storage.put_bytes(manifest_key, body.model_dump_json().encode())
    return UploadTicket(id=upload_id, url=form["url"], fields=form["fields"], max_bytes=body.size,
                        expires_at=datetime.now(UTC) + timedelta(seconds=expiry),
                        complete_url=f"/v1/uploads/{upload_id}/complete")


def _complete(svc: Services, queue: JobQueue, upload_id: str) -> MeetingAccepted:
    """Check, probe and take in a finished upload; its objects are removed once it is a meeting."""
    storage = _s3(svc)
    file_key, manifest_key = _keys(upload_id)
    try:
        declared = UploadCreate.model_validate_json(storage.get_bytes(manifest_key))
    except FileNotFoundError:
        raise ApiError(404, "not_found", f"upload {upload_id!r} not found (or already completed)") from None
    try:
        size = storage.size(file_key)
    except FileNotFoundError:
        raise ApiError(409, "conflict", f"upload {upload_id}: no file yet; POST it with the ticket's "
                       "fields first") from None
    try:
        if size != declared.size:
            raise ApiError(422, "invalid", f"upload {upload_id}: {size} bytes arrived, {declared.size} "
                           "declared; start a new upload")
        fields = MeetingCreate.model_validate(declared.model_dump(include=set(MeetingCreate.model_fields)))
        with tempfile.TemporaryDirectory(prefix="aw-upload-", dir=_spool(svc)) as tmp:
            path = Path(tmp) / "upload"
            with local_copy(storage, file_key) as copy:
                shutil.move(str(copy), path)
            path, duration = classify_recording(path, declared.filename, svc.settings)
            accepted = create_meeting(svc, queue, fields, path, None, declared.filename, duration)
    except ApiError as e:
        if e.status < 500:  # refused for good: the upload is dead, leave nothing of it
            _remove(storage, file_key, manifest_key)
        raise
    UPLOAD_BYTES.inc(size)
    _remove(storage, file_key, manifest_key)
    return accepted


def _remove(storage: S3Storage, *keys: str) -> None:
    for key in keys:
        storage.delete(key)


def _spool(svc: Services) -> Path:
    folder = svc.settings.data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@router.post("/{upload_id}/complete", status_code=202, response_model=MeetingAccepted,
             responses={c: {"model": ErrorResponse} for c in (409, 413, 415)})
async def complete_upload(upload_id: UploadId, svc: ServicesDep, queue: QueueDep,
                          _: WriteCaller) -> MeetingAccepted:
    """The file is in the store: check its size, probe it, create the meeting and queue its job."""
    try:
        accepted = await run_in_threadpool(_complete, svc, queue, upload_id)
    except ApiError as e:
        UPLOADS.labels(result=e.code).inc()
        raise
    UPLOADS.labels(result="accepted").inc()
    return accepted

