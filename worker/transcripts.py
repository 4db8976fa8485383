"""The meeting's final transcript (speakers and sides), kept under one key for its readers."""
from __future__ import annotations

from pipelines.transcript import Transcript
from worker.storage import Storage


def transcript_key(meeting_id: str) -> str:
    """Where the job stores the final transcript (stage artifacts are keyed by input checksums; a
    platform transcript uploaded with the meeting is ``transcript.<suffix>``, see worker/intake.py)."""
    return f"meetings/{meeting_id}/final-transcript.json"


def save_transcript(storage: Storage, meeting_id: str, transcript: Transcript) -> None:
    storage.put_bytes(transcript_key(meeting_id), transcript.model_dump_json().encode())


def load_transcript(storage: Storage, meeting_id: str) -> Transcript | None:
    """The stored final transcript, or None before the speakers stage has run."""
    key = transcript_key(meeting_id)
    if not storage.exists(key):
        return None
    return Transcript.model_validate_json(storage.get_bytes(key))
