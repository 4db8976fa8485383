"""The job's stages as calls into ``pipelines/`` (by the contract names of the team brief).

Pipeline modules are imported inside the functions so the web process and the CLI's ``--help``
never import torch or CTranslate2.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipelines.account import Account
from pipelines.errors import BadInputError
from pipelines.highlight import Analysis
from pipelines.limits import Limits
from pipelines.transcribe import TranscribeOptions
from pipelines.transcript import Transcript
from pipelines.voiceprints import VoiceProfile
from worker.asr import transcribe_options as _options
from worker.checksums import sha256_file
from worker.settings import Settings

Report = Callable[[float], None]


def transcribe_options(settings: Settings) -> TranscribeOptions:
    return _options(settings)


def ingest(recording: Path | None, platform: Path | None, settings: Settings) -> dict[str, Any]:
    """Validate the inputs: probe the recording (or read the imported transcript), checksum them."""
    from pipelines.audio import probe_audio

    out: dict[str, Any] = {"checksum": sha256_file(recording or platform), "duration": None}  # type: ignore[arg-type]
    if recording is not None:
        info = probe_audio(recording, max_bytes=settings.max_upload_mb * 2**20,
                           max_duration_s=settings.max_duration_s)
        out.update(duration=info.duration, audio=info.model_dump(mode="json", exclude={"path"}))
    if platform is not None:
        transcript = read_platform(platform, settings.limits)
        out["platform_turns"] = len(transcript.segments)
        if out["duration"] is None:
            out["duration"] = max((s.end or 0.0 for s in transcript.segments), default=0.0)
    return out


def read_platform(path: Path, limits: Limits) -> Transcript:
    """A platform transcript (VTT, SRT, ``Name: text``, corpus meeting JSON) within ``limits``."""
    from pipelines.formats import read_transcript

    transcript = read_transcript(path, limits=limits)
    if not transcript.segments:
        raise BadInputError(f"{path.name}: the transcript has no turns; export it again with captions")
    return transcript


def transcribe_stage(recording: Path | None, platform: Path | None, options: TranscribeOptions | None,
                     report: Report, limits: Limits) -> Transcript:
    """ASR on the recording, or the imported transcript when there is no recording."""
    if recording is None:
        assert platform is not None
        return read_platform(platform, limits)
    from pipelines.transcribe import transcribe

    assert options is not None
    return transcribe(recording, options, report)


def speakers_stage(transcript: Transcript, recording: Path | None, platform: Path | None,
                   account: Account, report: Report, limits: Limits,
                   tracks: list[tuple[str, Path]] | None = None,
                   profiles: list[VoiceProfile] | None = None) -> Transcript:
    """Speaker and side for every turn: platform names, else per-participant tracks, else voice
    clustering (naming enrolled voices from ``profiles``); sides from the account."""
    from pipelines import speakers

    if recording is None:
        return speakers.assign_sides(transcript, account)
    from pipelines.audio import decode_audio

    decoded = [(name, decode_audio(path)) for name, path in tracks or []]  # per-participant tracks, whole
    report(0.3)
    plat = read_platform(platform, limits) if platform is not None else None  # recording: window by window
    options = speakers.SpeakerOptions(profiles=list(profiles or []))
    return speakers.attribute_speakers(transcript, recording, platform=plat, tracks=decoded or None,
                                       account=account, options=options)


def analyze_stage(transcript: Transcript, account: Account, meeting_id: str) -> Analysis:
    from pipelines.analyze import analyze

    return analyze(transcript, account, meeting_id)


def warm_up(settings: Settings) -> dict[str, float]:
    """Load every model once in this process (a worker calls it before taking jobs); seconds each."""
    import time

    from pipelines.transcribe import load_model

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    load_model(transcribe_options(settings))
    timings["whisper"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    from models.speaker import warm_up as warm_voices

    warm_voices()
    timings["voices"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    probe = Transcript(segments=[{"id": 0, "start": 0.0, "end": 2.0, "text": "We want to grow next year.",
                                  "speaker": "A", "side": "customer"}])  # type: ignore[list-item]
    analyze_stage(probe, Account(account_id="warm-up", name="warm-up"), "warm-up")
    timings["analysis"] = time.perf_counter() - t0
    return timings
