"""The generic recording webhook, signed the Standard Webhooks way (``standardwebhooks``).

Headers ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (``v1,<base64 HMAC>`` of
``{id}.{timestamp}.{raw body}``); the body names the account and where the recording (and an
optional transcript) can be fetched.
"""
from __future__ import annotations

import time
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from worker.intake import TRANSCRIPT_SUFFIXES
from worker.remote_source import Delivery, RemoteSource, SourceKind
from worker.webhooks import SignatureError

SOURCE = "recording"


class RecordingEvent(BaseModel):
    """Body of ``POST /v1/webhooks/recording``."""

    account_id: str = Field(min_length=1, max_length=200)
    recording_url: str = Field(min_length=8, max_length=4000, pattern=r"^https?://",
                               description="the recording; a .vtt/.srt/.json URL is taken as a transcript")
    transcript_url: str | None = Field(default=None, max_length=4000, pattern=r"^https?://")
    title: str | None = Field(default=None, max_length=500)
    meeting_ref: str | None = Field(
        default=None, max_length=200,
        description="your id of the meeting: events with the same ref go to one meeting")
    bearer_token: str | None = Field(default=None, max_length=4000,
                                     description="sent as Authorization: Bearer with the downloads")


def verify(secret: str, body: bytes, headers: dict[str, str], tolerance_s: float) -> None:
    """Raise :class:`SignatureError` unless the body is signed with ``secret`` and recent."""
    try:
        Webhook(secret).verify(body, headers, json_parse=False)
    except (WebhookVerificationError, ValueError) as e:
        raise SignatureError(f"webhook signature refused: {e}") from e
    ts = float(headers.get("webhook-timestamp", "0"))
    if abs(time.time() - ts) > tolerance_s:
        raise SignatureError(f"webhook-timestamp is outside the {tolerance_s:.0f} s tolerance")


def _suffix(url: str, default: str) -> str:
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    return suffix if 1 < len(suffix) <= 6 and suffix[1:].isalnum() else default


def delivery(webhook_id: str, e: RecordingEvent) -> Delivery:
    auth: dict[str, Any] = {"scheme": "bearer", "token": e.bearer_token} if e.bearer_token else {}
    suffix = _suffix(e.recording_url, ".bin")
    # as intake.new_meeting does: a transcript given as the recording skips speech recognition
    kind: SourceKind = "transcript" if suffix in TRANSCRIPT_SUFFIXES else "recording"
    sources = [RemoteSource(kind=kind, url=e.recording_url, suffix=suffix, auth=auth)]
    if e.transcript_url:
        sources.append(RemoteSource(kind="transcript", url=e.transcript_url,
                                    suffix=_suffix(e.transcript_url, ".vtt"), auth=auth))
    title = e.title or PurePosixPath(urlsplit(e.recording_url).path).name or "recording"
    return Delivery(source=SOURCE, event_key=webhook_id[:300], subject=(e.meeting_ref or webhook_id)[:300],
                    account_id=e.account_id, title=title, sources=sources)
