"""Zoom webhooks: ``x-zm-signature`` check, URL validation, and the recording events.

Signature: ``v0=`` + hex HMAC-SHA256(secret token, ``v0:{x-zm-request-timestamp}:{raw body}``)
over the raw bytes (a re-serialised JSON would differ), compared in constant time; timestamps
older than the tolerance are refused as replays. ``endpoint.url_validation`` is itself signed and
is verified before it is answered (else the endpoint would sign any string for anyone).
"""
from __future__ import annotations

import hashlib
import hmac
import time
from datetime import date, datetime
from typing import Any

from worker.remote_source import Delivery, RemoteSource
from worker.webhooks import SignatureError

SOURCE = "zoom"
RECORDING_EVENTS = ("recording.completed", "recording.transcript_completed")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``x-zm-signature`` Zoom sends for ``body`` at ``timestamp``."""
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str | None, sig: str | None, body: bytes, tolerance_s: float,
           now: float | None = None) -> None:
    """Raise :class:`SignatureError` unless the delivery is signed with ``secret`` and recent."""
    if not timestamp or not sig:
        raise SignatureError("missing x-zm-request-timestamp or x-zm-signature")
    try:
        ts = int(timestamp)
    except ValueError:
        raise SignatureError("x-zm-request-timestamp is not a number") from None
    if abs((now if now is not None else time.time()) - ts) > tolerance_s:
        raise SignatureError(f"x-zm-request-timestamp {ts} is outside the {tolerance_s:.0f} s tolerance")
    if not hmac.compare_digest(signature(secret, timestamp, body).encode(), sig.strip().encode()):
        raise SignatureError("x-zm-signature does not match the body")


def url_validation(secret: str, plain_token: str) -> dict[str, str]:
    """The answer to ``endpoint.url_validation``."""
    encrypted = hmac.new(secret.encode(), plain_token.encode(), hashlib.sha256).hexdigest()
    return {"plainToken": plain_token, "encryptedToken": encrypted}


def _transcript(files: list[dict[str, Any]], token: str | None) -> RemoteSource | None:
    for f in files:
        if str(f.get("file_type", "")).upper() == "TRANSCRIPT" and f.get("download_url"):
            return _source("transcript", f, token, ".vtt")
    return None


def _audio(files: list[dict[str, Any]], token: str | None) -> RemoteSource | None:
    """The ``audio_only`` M4A when there is one, else the first MP4."""
    usable = [f for f in files if f.get("download_url") and f.get("status", "completed") == "completed"]
    for want in ("M4A", "MP4"):
        for f in usable:
            if str(f.get("file_type", "")).upper() == want:
                return _source("recording", f, token, "." + want.lower())
    return None


def _source(kind: str, f: dict[str, Any], token: str | None, suffix: str,
            name: str | None = None) -> RemoteSource:
    auth = {"scheme": "bearer", "token": token} if token else {}
    return RemoteSource(kind=kind, url=str(f["download_url"]), suffix=suffix, name=name,  # type: ignore[arg-type]
                        auth=auth)


def delivery(event: dict[str, Any], account_id: str) -> Delivery | None:
    """The meeting inputs of a recording event (None for other events and empty recordings).

    ``recording.completed`` brings the audio (M4A, else MP4), one speaker track per participant
    audio file and the VTT when present; ``recording.transcript_completed`` the VTT alone. Both
    name the Zoom meeting by its ``uuid``, so they end up on the same meeting.
    """
    name = event.get("event")
    if name not in RECORDING_EVENTS:
        return None
    payload = event.get("payload")
    obj = payload.get("object") if isinstance(payload, dict) else None
    if not isinstance(obj, dict):
        return None
    uuid = str(obj.get("uuid") or obj.get("id") or "")
    if not uuid:
        return None
    token = event.get("download_token")
    files = _dicts(obj.get("recording_files"))
    sources: list[RemoteSource] = []
    if name == "recording.completed":
        audio = _audio(files, token)
        if audio is not None:
            sources.append(audio)
            for k, f in enumerate(_dicts(obj.get("participant_audio_files"))):
                if f.get("download_url") and str(f.get("file_type", "M4A")).upper() == "M4A":
                    who = str(f.get("file_name") or f"Participant {k + 1}")
                    sources.append(_source("track", f, token, ".m4a", name=who))
    transcript = _transcript(files, token)
    if transcript is not None:
        sources.append(transcript)
    if not sources:
        return None
    kind = "recording" if name == "recording.completed" else "transcript"
    return Delivery(source=SOURCE, event_key=f"{kind}:{uuid}", subject=uuid, account_id=account_id,
                    title=str(obj.get("topic") or "Zoom meeting")[:300], sources=sources,
                    meeting_date=_date(obj.get("start_time")))


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The JSON objects of a list (anything else in a payload is ignored)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _date(value: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date() if value else None
    except ValueError:
        return None
