"""Speaker attribution: who said each turn, and on which side of the table they sit.

Sources, best first: a platform transcript with names (aligned to the words by time),
per-participant tracks (loudest track per word), voice clustering of the mixed recording
(named from introductions, voice profiles and the participant list).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from pipelines import align, naming
from pipelines.account import Account
from pipelines.errors import BadInputError
from pipelines.sides import assign_sides
from pipelines.transcript import Participant, Transcript, Word
from pipelines.voiceprints import VoiceProfile, match_profiles
from pipelines.windows import AudioWindow, file_windows

__all__ = ["SpeakerOptions", "assign_sides", "attribute_speakers", "cluster_speakers", "channel_tracks"]

SAMPLE_RATE = 16000


class SpeakerOptions(BaseModel):
    """How many speakers to look for, and the account's enrolled voices."""

    num_speakers: int | None = Field(default=None, ge=1, description="exact count, when known")
    min_speakers: int | None = Field(default=None, ge=1)
    max_speakers: int | None = Field(default=None, ge=1)
    profiles: list[VoiceProfile] = Field(default_factory=list, description="enrolled voices to name")


def attribute_speakers(
    transcript: Transcript,
    audio: np.ndarray | Path | None,
    *,
    sample_rate: int = SAMPLE_RATE,
    platform: Transcript | None = None,
    tracks: list[tuple[str, np.ndarray]] | None = None,
    account: Account | None = None,
    options: SpeakerOptions | None = None,
) -> Transcript:
    """The transcript re-cut into speaker turns, each with a speaker name and a side.

    ``audio`` is the mixed recording in memory, or its file (read window by window, never whole).
    """
    options = options or SpeakerOptions()
    if platform is not None:  # its names help even when it has no times to align by
        transcript = transcript.model_copy(
            update={"participants": _merged(transcript.participants, platform.participants)}
        )
    words = align.transcript_words(transcript)
    if not words:
        return assign_sides(transcript, account)
    turns = platform and align.platform_turns(platform)
    if turns:
        labels = align.speakers_by_overlap(words, turns)
        names: dict[str, str] = {}
    elif tracks:
        resampled = [(name, _at_16k(track, sample_rate)) for name, track in tracks]
        labels = align.speakers_by_track(words, resampled, SAMPLE_RATE)
        names = {}
    elif audio is not None:
        source = file_windows(audio) if isinstance(audio, Path) else _at_16k(audio, sample_rate)
        labels, names = cluster_speakers(transcript, words, source, options, account)
    elif transcript.speakers():
        return assign_sides(transcript, account)
    else:
        raise BadInputError("speaker attribution needs the recording, its tracks or a platform transcript")
    result = _rebuilt(transcript, words, [names.get(lab, lab) if lab else None for lab in labels])
    return assign_sides(result, account)


def channel_tracks(channels: np.ndarray, names: list[str] | None = None) -> list[tuple[str, np.ndarray]]:
    """Tracks from a multichannel recording (channels, samples): one speaker per channel."""
    names = names or [f"Channel {k + 1}" for k in range(len(channels))]
    if len(names) != len(channels):
        raise BadInputError(
            f"{len(names)} track names given for {len(channels)} channels; give one name per channel"
        )
    return list(zip(names, channels, strict=True))


def cluster_speakers(
    transcript: Transcript,
    words: list[Word],
    audio: np.ndarray | Iterable[AudioWindow],
    options: SpeakerOptions,
    account: Account | None = None,
) -> tuple[list[str | None], dict[str, str]]:
    """Per-word cluster labels of the mixed recording (16 kHz, or its windows), and a name for each label."""
    from pipelines.diarize import diarize

    turns, embeddings, window_labels = diarize(
        audio, num_speakers=options.num_speakers, min_speakers=options.min_speakers,
        max_speakers=options.max_speakers,
    )
    labels = align.speakers_by_overlap(words, turns)
    if not any(labels):  # words were heard where the VAD found no voice: one unknown speaker
        labels = ["0"] * len(words)
    order = list(dict.fromkeys(lab for lab in labels if lab is not None))
    centroids = {str(k): embeddings[window_labels == k].mean(axis=0) for k in set(window_labels.tolist())}
    participants = [p.name for p in transcript.participants]
    known = participants + _account_names(account)
    return labels, name_clusters(words, labels, order, centroids, participants, known, options.profiles)


def _account_names(account: Account | None) -> list[str]:
    if account is None:
        return []
    return [m.name for m in account.vendor_team] + [s.name for s in account.stakeholders]


def name_clusters(
    words: list[Word],
    labels: list[str | None],
    order: list[str],
    centroids: dict[str, np.ndarray],
    participants: list[str],
    known: list[str],
    profiles: list[VoiceProfile],
) -> dict[str, str]:
    """Label -> speaker name: introductions, addresses, voice profiles, participant list, else
    "Speaker N" in order of first appearance."""
    turns = align.rebuild_turns(words, labels)
    candidates = list(dict.fromkeys(participants + known + [p.name for p in profiles]))
    votes = naming.name_votes(turns, candidates)
    matches = {lab: name for lab, (name, _) in match_profiles(centroids, profiles).items() if lab in order}
    named = naming.assign_names(order, votes, matches, participants)
    fallback = naming.default_names([lab for lab in order if lab not in named])
    return {**fallback, **named}


def _rebuilt(transcript: Transcript, words: list[Word], speakers: list[str | None]) -> Transcript:
    result = transcript.model_copy(deep=True)
    result.segments = align.rebuild_turns(words, speakers)
    return result


def _merged(ours: list[Participant], theirs: list[Participant]) -> list[Participant]:
    names = {p.name for p in ours}
    return ours + [p.model_copy() for p in theirs if p.name not in names]


def _at_16k(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mono float32 audio at 16 kHz (the rate of the speaker models)."""
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim > 1:
        audio = audio.mean(axis=0)
    if sample_rate == SAMPLE_RATE:
        return audio
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(sample_rate, SAMPLE_RATE)
    return resample_poly(audio, SAMPLE_RATE // g, sample_rate // g).astype(np.float32)
