"""From uploaded files to a queued meeting: probe what they are (by content, never by name),
enforce the limits, create the meeting through :func:`worker.intake.new_meeting` and enqueue it.
Used by ``POST /v1/meetings`` and by ``POST /v1/uploads/{id}/complete``."""
from __future__ import annotations

import re
from pathlib import Path

from pipelines.audio import FORMATS_HINT, probe_audio
from pipelines.errors import BadInputError
from pipelines.formats import read_transcript
from worker.api.errors import ApiError
from worker.api.schemas.meetings import MeetingAccepted, MeetingCreate
from worker.db import repo
from worker.db_queue import DatabaseQueue
from worker.intake import new_meeting
from worker.logs import event
from worker.queue import JobQueue
from worker.services import Services
from worker.settings import Settings

CONTAINER_SUFFIX = {"wav": ".wav", "flac": ".flac", "mp3": ".mp3", "ogg": ".ogg", "mov": ".mp4",
                    "matroska": ".mkv", "aac": ".aac", "webm": ".webm", "asf": ".wma", "aiff": ".aiff",
                    "amr": ".amr", "caf": ".caf", "w64": ".w64", "opus": ".opus"}
"""PyAV container name (first of its aliases) -> the suffix a recording is stored under."""

_CUE_TIME = re.compile(r"\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->")


def _named(path: Path, suffix: str) -> Path:
    """The spooled file renamed to carry the suffix of what it is (storage keys keep it)."""
    target = path.with_name(path.name + suffix)
    path.rename(target)
    return target


def transcript_kind(path: Path) -> str | None:
    """``vtt``, ``srt`` or ``json`` if the file's text looks like such a transcript, else None."""
    with path.open("rb") as f:
        head = f.read(64 * 1024)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    stripped = text.lstrip()
    if stripped.startswith("WEBVTT"):
        return "vtt"
    if stripped.startswith("{"):
        return "json"
    return "srt" if _CUE_TIME.search(text[:4096]) else None


def _transcript(path: Path, filename: str, what: str) -> Path:
    """The transcript checked by the real reader and named by its kind, else 422 with why."""
    kind = transcript_kind(path)
    if kind is None:
        raise ApiError(422, "invalid", f"{what} {filename!r} is not a WebVTT, SRT or meeting JSON transcript")
    try:
        read_transcript(path)
    except BadInputError as e:
        raise ApiError(422, "invalid", str(e).replace(str(path), filename)) from None
    return _named(path, "." + kind)


def classify_recording(path: Path, filename: str, settings: Settings) -> tuple[Path, float | None]:
    """(path named by what it is, duration): audio/video PyAV decodes, or a transcript file.

    415 for content that is neither, 413 for a recording longer than AW_MAX_DURATION_S, 422 for
    an empty file or a transcript that does not parse.
    """
    if path.stat().st_size == 0:
        raise ApiError(422, "empty", f"{filename!r} is empty: send the recording's bytes")
    try:
        info = probe_audio(path, max_bytes=settings.max_upload_mb * 2**20)
    except BadInputError as e:
        if transcript_kind(path) is not None:
            return _transcript(path, filename, "file"), None
        reason = str(e).replace(str(path), filename)
        raise ApiError(415, "unsupported_media", f"{reason} (send audio or video: {FORMATS_HINT}; or a "
                       "WebVTT/SRT/meeting JSON transcript)") from None
    if info.duration is not None and info.duration > settings.max_duration_s:
        raise ApiError(413, "too_long", f"{filename!r} lasts {info.duration:.0f} s, over the limit of "
                       f"{settings.max_duration_s:.0f} s (AW_MAX_DURATION_S)")
    suffix = CONTAINER_SUFFIX.get(info.container.split(",")[0], ".audio")
    return _named(path, suffix), info.duration


def classify_transcript(path: Path, filename: str) -> Path:
    if path.stat().st_size == 0:
        raise ApiError(422, "empty", f"transcript {filename!r} is empty")
    return _transcript(path, filename, "transcript")


def enqueue(svc: Services, queue: JobQueue, meeting_id: str, duration: float | None) -> str:
    """Queue the meeting's job; a queue that cannot take it fails the meeting readably (503)."""
    try:
        job_id = queue.enqueue_meeting(meeting_id, duration)
    except Exception as e:  # Redis down or refusing: the meeting exists, say so and fail it
        reason = f"could not queue the job ({type(e).__name__}: {e}); check AW_REDIS_URL, then upload again"
        with svc.db.session() as s:
            repo.set_meeting(s, meeting_id, status="failed", error=reason, duration=duration)
        event("api.enqueue_failed", level=40, meeting_id=meeting_id, error=str(e))
        raise ApiError(503, "unavailable", reason, {"meeting_id": meeting_id}) from None
    if not isinstance(queue, DatabaseQueue):  # the database queue recorded it itself
        with svc.db.session() as s:
            repo.set_meeting(s, meeting_id, job_id=job_id, duration=duration)
    return job_id


def create_meeting(svc: Services, queue: JobQueue, form: MeetingCreate, recording: Path,
                   transcript: Path | None, filename: str, duration: float | None) -> MeetingAccepted:
    """Store the files and create the meeting (the one intake), then queue its job."""
    meeting_id = new_meeting(svc, form.account_id, recording, transcript, filename=filename[-500:],
                             title=form.title, meeting_date=form.meeting_date,
                             participants=form.participants)
    enqueue(svc, queue, meeting_id, duration)
    event("api.meeting_created", meeting_id=meeting_id, account_id=form.account_id)
    return MeetingAccepted(id=meeting_id, status="queued", status_url=f"/v1/meetings/{meeting_id}")
