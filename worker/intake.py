"""The one way a meeting comes in: store its input files, then create its row.

The CLI (``process``, ``enqueue``), the HTTP API and the platform webhooks all call
:func:`new_meeting`; nothing else creates a meeting. The account is checked before anything is
stored, and a failure after storing removes what was stored, so no object is left without a
meeting.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pipelines.errors import BadInputError
from pipelines.fields import check_id
from worker.db import repo
from worker.db.models import AccountRow, RemoteSourceRow
from worker.remote_source import RemoteSource
from worker.services import Services

TRANSCRIPT_SUFFIXES = frozenset({".vtt", ".srt", ".sbv", ".txt", ".json"})
"""Files taken as a transcript (speech recognition is skipped), not as a recording."""


def input_key(meeting_id: str, path: Path, kind: str = "recording") -> str:
    """Storage key of a meeting's input file: ``recording.<ext>``, or ``transcript/<file name>``
    (the transcript keeps its name, so its errors can name it)."""
    if kind == "transcript":
        return f"meetings/{meeting_id}/transcript/{safe_name(path.name)}"
    return f"meetings/{meeting_id}/{kind}{path.suffix.lower()}"


def safe_name(name: str, limit: int = 120) -> str:
    """A file name fit for a storage key and a database column: no control or path characters,
    at most ``limit`` characters, its extension kept."""
    clean = re.sub(r"[\x00-\x1f\x7f/\\]", "_", name).strip() or "file"
    if len(clean) <= limit:
        return clean
    suffix = Path(clean).suffix[:16]
    return clean[: limit - len(suffix)] + suffix


def transcript_name(key: str | None, filename: str) -> str:
    """The name to show for a meeting's transcript: its file name, from the key it is stored under."""
    if key and "/transcript/" in key:
        return key.rsplit("/", 1)[1]
    return f"the transcript of {filename}"


def store_input(svc: Services, meeting_id: str, path: Path, kind: str = "recording") -> str:
    """Copy an input file into storage under the meeting; returns its key."""
    key = input_key(meeting_id, path, kind)
    svc.storage.put_file(key, path)
    return key


def is_transcript_file(path: Path) -> bool:
    return path.suffix.lower() in TRANSCRIPT_SUFFIXES


def require_account(svc: Services, account_id: str) -> None:
    """Raise :class:`repo.NotFoundError` unless the account is stored (checked before storing)."""
    with svc.db.session() as s:
        if s.get(AccountRow, account_id) is None:
            raise repo.NotFoundError(f"account {account_id!r} not found: import it first with "
                                     "`alignment-worker account import ACCOUNT.json`")


def new_meeting(svc: Services, account_id: str, recording: Path, transcript: Path | None = None,
                *, filename: str | None = None, **details: Any) -> str:
    """Store the inputs and create the meeting row; returns the meeting id.

    ``recording`` may itself be a transcript file (VTT, SRT, ...): speech recognition is then
    skipped. ``details`` are more meeting columns (title, meeting_date, participants). Raises
    :class:`BadInputError` for a missing file, :class:`repo.NotFoundError` for an
    unknown account, and the storage's errors; in every case nothing stays in storage.
    """
    for path in (recording, transcript):
        if path is not None and not path.is_file():
            raise BadInputError(f"{path}: no such file")
    try:
        check_id(account_id)
    except ValueError as e:
        raise BadInputError(str(e)) from None
    require_account(svc, account_id)
    check_inputs(svc, recording, transcript)
    meeting_id = repo.new_meeting_id()
    plat = recording if is_transcript_file(recording) else transcript
    stored: list[str] = []
    try:
        if not is_transcript_file(recording):
            stored.append(store_input(svc, meeting_id, recording))
        if plat is not None:
            stored.append(store_input(svc, meeting_id, plat, "transcript"))
        rec_key = stored[0] if not is_transcript_file(recording) else None
        tr_key = stored[-1] if plat is not None else None
        with svc.db.session() as s:
            repo.create_meeting(s, account_id, meeting_id=meeting_id,
                                filename=safe_name(filename or recording.name, 500),
                                recording_key=rec_key, transcript_key=tr_key, **details)
    except BaseException:
        _remove(svc, stored)
        raise
    return meeting_id


def new_remote_meeting(s: Session, account_id: str, sources: list[RemoteSource], *,
                       filename: str, **details: Any) -> str:
    """Create a meeting whose inputs are still on a platform (in the caller's transaction); its
    job downloads them with :func:`worker.remote_inputs.fetch_sources` before ingest, through
    :func:`store_input`. Nothing is stored yet, so there is nothing to clean up on failure.
    ``details``: more meeting columns (title, meeting_date)."""
    if not sources:
        raise BadInputError("a remote meeting needs at least one recording or transcript URL")
    meeting_id = repo.new_meeting_id()
    repo.create_meeting(s, account_id, meeting_id=meeting_id, filename=filename[:500], **details)
    add_remote_sources(s, meeting_id, sources)
    return meeting_id


def add_remote_sources(s: Session, meeting_id: str, sources: list[RemoteSource]) -> None:
    """Attach more remote inputs (a transcript that came later) to a meeting."""
    for src in sources:
        s.add(RemoteSourceRow(meeting_id=meeting_id, kind=src.kind, name=src.name, url=src.url,
                              suffix=src.suffix, auth=dict(src.auth)))
    s.flush()


def check_inputs(svc: Services, recording: Path, transcript: Path | None) -> None:
    """Refuse, before anything is stored, a recording over AW_MAX_UPLOAD_MB or AW_MAX_DURATION_S (or
    not audio at all) and a transcript file over the transcript limits."""
    from pipelines.limits import check_file_size

    limits = svc.settings.limits
    for path in (recording, transcript):
        if path is not None and is_transcript_file(path):
            check_file_size(path, limits)
    if not is_transcript_file(recording):
        from pipelines.audio import probe_audio

        probe_audio(recording, max_bytes=svc.settings.max_upload_mb * 2**20,
                    max_duration_s=svc.settings.max_duration_s)


def _remove(svc: Services, keys: list[str]) -> None:
    """Best-effort removal of objects stored for a meeting that was not created."""
    for key in keys:
        try:
            svc.storage.delete(key)
        except Exception:  # the original error matters more than a failed clean-up
            pass
