"""Serving a meeting's recording with HTTP Range requests."""
from __future__ import annotations

import mimetypes
import os
import shutil
import tempfile
from pathlib import Path

from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from worker.db import repo
from worker.db.models import MeetingRow
from worker.services import Services


def recording_response(svc: Services, meeting: MeetingRow) -> FileResponse:
    """A Range-capable response of the recording (a local file as is; an S3 object via a temp copy)."""
    if not meeting.recording_key:
        raise repo.NotFoundError(f"meeting {meeting.id!r} has no recording (it came as a transcript)")
    media = mimetypes.guess_type(meeting.recording_key)[0] or "application/octet-stream"
    local = getattr(svc.storage, "local_path", None)
    if local is not None:
        return FileResponse(local(meeting.recording_key), media_type=media)
    fd, tmp = tempfile.mkstemp(suffix=Path(meeting.recording_key).suffix)
    with os.fdopen(fd, "wb") as out, svc.storage.open(meeting.recording_key) as src:
        shutil.copyfileobj(src, out)
    return FileResponse(tmp, media_type=media, background=BackgroundTask(os.unlink, tmp))
