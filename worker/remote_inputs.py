"""The job's fetch step: download a meeting's remote inputs into storage, then point it at them.

Each source is stored under the meeting's input keys (:func:`worker.intake.store_input`) and its
key recorded, so a retried job skips what it already has (idempotent, resumable). Platform
tokens (Graph, Google) are obtained here, in the job, never in the webhook's request.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from worker.db import repo
from worker.db.models import MeetingRow, RemoteSourceRow
from worker.intake import store_input
from worker.logs import event
from worker.remote_fetch import download, shown
from worker.services import Services
from worker.settings import Settings


def fetch_sources(svc: Services, meeting_id: str) -> int:
    """Download every source of the meeting not yet stored; returns how many were downloaded."""
    with svc.db.session() as s:
        pending = list(s.scalars(select(RemoteSourceRow).where(
            RemoteSourceRow.meeting_id == meeting_id, RemoteSourceRow.key.is_(None))
            .order_by(RemoteSourceRow.id)))
    tokens: dict[str, str] = {}
    for row in pending:
        with tempfile.TemporaryDirectory(prefix="aw-fetch-") as tmp:
            path = Path(tmp) / f"{row.kind}{row.suffix}"  # the name its errors will give
            size = _fetch(svc.settings, row, path, tokens)
            kind = row.kind if row.kind != "track" else f"track-{row.id}"
            key = store_input(svc, meeting_id, path, kind)
        with svc.db.session() as s:
            s.get(RemoteSourceRow, row.id).key = key  # type: ignore[union-attr]
        event("remote.fetched", kind=row.kind, url=shown(row.url), bytes=size, key=key)
    if pending:
        _point_meeting(svc, meeting_id)
    return len(pending)


def finish_unless_pending(svc: Services, meeting_id: str, **fields: Any) -> bool:
    """Mark the meeting ``done`` unless an input arrived since its last fetch (then False: run
    again). The row is write-locked before the check, so a webhook adding an input either
    commits first (seen here) or finds the meeting done (and queues it again)."""
    with svc.db.session() as s:
        s.execute(update(MeetingRow).where(MeetingRow.id == meeting_id).values(status=MeetingRow.status))
        pending = s.scalar(select(func.count()).select_from(RemoteSourceRow).where(
            RemoteSourceRow.meeting_id == meeting_id, RemoteSourceRow.key.is_(None)))
        if pending:
            return False
        repo.set_meeting(s, meeting_id, status="done", error=None, progress=1.0, stage=None, **fields)
        return True


def tracks(svc: Services, meeting_id: str) -> list[tuple[str, str]]:
    """(speaker name, storage key) of the meeting's stored speaker tracks."""
    with svc.db.session() as s:
        rows = s.execute(select(RemoteSourceRow.name, RemoteSourceRow.key).where(
            RemoteSourceRow.meeting_id == meeting_id, RemoteSourceRow.kind == "track",
            RemoteSourceRow.key.is_not(None)).order_by(RemoteSourceRow.id)).all()
    return [(name or f"Participant {k + 1}", str(key)) for k, (name, key) in enumerate(rows)]


def _point_meeting(svc: Services, meeting_id: str) -> None:
    """Set the meeting's recording and transcript keys from its stored sources (latest wins)."""
    with svc.db.session() as s:
        rows = s.execute(select(RemoteSourceRow.kind, RemoteSourceRow.key).where(
            RemoteSourceRow.meeting_id == meeting_id, RemoteSourceRow.key.is_not(None))
            .order_by(RemoteSourceRow.id)).all()
        keys = {kind: key for kind, key in rows}
        fields = {f"{kind}_key": keys[kind] for kind in ("recording", "transcript") if kind in keys}
        if fields:
            repo.set_meeting(s, meeting_id, **fields)


def _fetch(settings: Settings, row: RemoteSourceRow, path: Path, tokens: dict[str, str]) -> int:
    scheme = row.auth.get("scheme")
    url, headers = row.url, {}
    if scheme == "bearer":
        headers["Authorization"] = f"Bearer {row.auth['token']}"
    elif scheme == "msgraph":
        from worker.webhooks.msgraph import app_token

        tokens.setdefault("msgraph", app_token(settings))
        headers["Authorization"] = f"Bearer {tokens['msgraph']}"
    elif scheme == "google":
        from worker.webhooks import google_meet

        token = tokens.setdefault("google", google_meet.access_token(settings))
        headers["Authorization"] = f"Bearer {token}"
        if row.auth.get("resolve") == "transcript":
            data = google_meet.transcript_vtt(settings, row.url, token).encode()
            path.write_bytes(data)
            return len(data)
        url = google_meet.recording_file_url(settings, row.url, token)
    got = download(url, path, headers=headers, max_bytes=settings.max_upload_mb * 2**20,
                   timeout_s=settings.fetch_timeout_s, allow=settings.fetch_allow_networks)
    return got.size
