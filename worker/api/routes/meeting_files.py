"""A meeting's transcript (json, vtt, srt, txt) and its recording (with HTTP Range, for players)."""
from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Response
from fastapi.responses import StreamingResponse

from pipelines import formats
from pipelines.transcript import Transcript
from worker.api.deps import ReadCaller, SessionDep, StorageDep
from worker.api.errors import ERROR_RESPONSES, ApiError, ErrorResponse
from worker.api.ranges import ranged_response
from worker.db import repo

router = APIRouter(prefix="/v1/meetings", tags=["meetings"], responses=ERROR_RESPONSES)

WRITERS = {"json": (formats.to_json, "application/json"), "vtt": (formats.to_vtt, "text/vtt"),
           "srt": (formats.to_srt, "application/x-subrip"), "txt": (formats.to_txt, "text/plain")}
TRANSCRIPT_STAGE = "speakers"
"""The stage whose artifact is the meeting's transcript with speakers named."""


@router.get("/{meeting_id}/transcript", response_class=Response,
            responses={200: {"content": {m: {} for _, m in WRITERS.values()},
                             "description": "the transcript with speakers"},
                       409: {"model": ErrorResponse, "description": "the job has not made it yet"}})
def transcript(meeting_id: str, s: SessionDep, storage: StorageDep, _: ReadCaller,
               format: Literal["json", "vtt", "srt", "txt"] = "json") -> Response:
    """The meeting's transcript with speakers, as JSON (schema in the repo), WebVTT, SRT or text."""
    m = repo.get_meeting(s, meeting_id)
    keys = [k for k in storage.keys(f"meetings/{meeting_id}")
            if Path(k).name.startswith(TRANSCRIPT_STAGE + "-")]
    if not keys:
        raise ApiError(409, "not_ready", f"meeting {meeting_id} is {m.status}: its transcript is made by "
                       "the job's speakers stage; GET /v1/meetings/{id} for progress")
    write, media = WRITERS[format]
    text = write(Transcript.model_validate_json(storage.get_bytes(keys[-1])))
    return Response(text, media_type=f"{media}; charset=utf-8")


@router.get("/{meeting_id}/audio", response_class=StreamingResponse,
            responses={200: {"content": {"audio/*": {}}, "description": "the whole recording"},
                       206: {"content": {"audio/*": {}}, "description": "the asked byte range"},
                       416: {"model": ErrorResponse}})
def audio(meeting_id: str, s: SessionDep, storage: StorageDep, _: ReadCaller,
          range: Annotated[str | None, Header(max_length=200)] = None) -> StreamingResponse:
    """The recording as uploaded; supports ``Range: bytes=first-last`` (206 + Content-Range)."""
    m = repo.get_meeting(s, meeting_id)
    if not m.recording_key:
        raise ApiError(404, "not_found", f"meeting {meeting_id} has no recording (it came as a transcript)")
    media = mimetypes.guess_type(m.recording_key)[0] or "application/octet-stream"
    return ranged_response(storage, m.recording_key, range, media)
