"""Stored voice profiles: a confirmed speaker is enrolled (per account; a vendor voice for the whole
deployment), and the speakers stage names the people it recognises in later meetings."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pipelines.account import Account, VendorMember
from pipelines.voiceprints import VoiceProfile
from worker.db import repo
from worker.db.models import SpeakerEditRow, VoiceProfileRow
from worker.services import Services
from worker.storage import local_copy
from worker.transcripts import load_transcript


def stored_profiles(s: Session, account_id: str) -> list[tuple[VoiceProfile, str | None]]:
    """(profile, side) of the account's voices and the deployment's vendor voices."""
    rows = s.scalars(select(VoiceProfileRow).where(or_(VoiceProfileRow.account_id == account_id,
                                                       VoiceProfileRow.account_id.is_(None)))
                     .order_by(VoiceProfileRow.id))
    return [(VoiceProfile(name=r.name, embedding=list(r.embedding), count=r.count), r.side) for r in rows]


def with_vendor_voices(account: Account, profiles: list[tuple[VoiceProfile, str | None]]) -> Account:
    """The account with enrolled vendor voices on its vendor team, so their side is known."""
    known = {m.name.casefold() for m in account.vendor_team}
    extra = [VendorMember(name=p.name) for p, side in profiles
             if side == "vendor" and p.name.casefold() not in known]
    return account.model_copy(update={"vendor_team": [*account.vendor_team, *extra]}) if extra else account


def _save(s: Session, account_id: str | None, profile: VoiceProfile, side: str | None) -> None:
    q = select(VoiceProfileRow).where(VoiceProfileRow.name == profile.name)
    q = q.where(VoiceProfileRow.account_id.is_(None) if account_id is None
                else VoiceProfileRow.account_id == account_id)
    row = s.scalars(q).first()
    if row is None:
        s.add(VoiceProfileRow(account_id=account_id, name=profile.name, side=side,
                              embedding=profile.embedding, count=profile.count))
    else:
        row.embedding, row.count, row.side = profile.embedding, profile.count, side
    s.flush()


def enroll_speaker(svc: Services, meeting_id: str, label: str) -> VoiceProfile | None:
    """Enroll the confirmed speaker ``label`` of a meeting from its turns in the recording.

    A vendor-side speaker is enrolled for the whole deployment, a customer for the account.
    Returns None when there is nothing to enroll (no recording, no timed turns, unconfirmed).
    """
    from pipelines.audio import decode_audio
    from pipelines.diarize import embed_turns
    from pipelines.rttm import SpeakerTurn
    from pipelines.voiceprints import enroll

    with svc.db.session() as s:
        meeting = repo.get_meeting(s, meeting_id)
        edit = s.scalars(select(SpeakerEditRow).where(SpeakerEditRow.meeting_id == meeting_id,
                                                      SpeakerEditRow.label == label)).first()
        account_id, rec_key = meeting.account_id, meeting.recording_key
    transcript = load_transcript(svc.storage, meeting_id)
    if edit is None or not edit.confirmed or rec_key is None or transcript is None:
        return None
    turns = [SpeakerTurn(start=seg.start, end=seg.end, speaker=edit.name) for seg in transcript.segments
             if seg.speaker == label and seg.start is not None and seg.end is not None
             and seg.end > seg.start]
    if not turns:
        return None
    with local_copy(svc.storage, rec_key, Path(rec_key).suffix) as path:
        audio = decode_audio(path)
    windows = embed_turns(audio, turns).get(edit.name)
    if windows is None or len(windows) == 0:
        return None
    side = edit.side or next((seg.side for seg in transcript.segments if seg.speaker == label), None)
    scope = None if side == "vendor" else account_id
    with svc.db.session() as s:
        old = next((p for p, _ in stored_profiles(s, account_id) if p.name == edit.name), None)
        profile = enroll(edit.name, windows, old)
        _save(s, scope, profile, side)
    return profile


def enroll_job(meeting_id: str, label: str) -> bool:
    """RQ entry point: enroll in a worker (the web process never loads the voice model with Redis)."""
    from worker.services import process_services

    return enroll_speaker(process_services(), meeting_id, label) is not None
