"""Who spoke when in a mixed recording: speech regions, voice embeddings, clustering, turns."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from models import speaker as speaker_model
from pipelines.clustering import cluster_embeddings
from pipelines.rttm import SpeakerTurn
from pipelines.windows import AudioWindow, array_windows

WINDOW_S = 1.5
"""Length of the audio window behind one embedding (Resemblyzer was trained on 1.6 s)."""
HOP_S = 0.75
"""Step between windows; half a window, so every instant is seen by about two windows."""
MIN_WINDOW_S = 0.4
"""Speech regions shorter than this carry too little voice for an embedding: they inherit a label."""
MIN_TURN_S = 0.3
"""Turns shorter than this (a flicker of the label between windows) join their neighbour."""


@dataclass(frozen=True)
class Window:
    """One embedding window inside speech region ``region`` (seconds)."""

    start: float
    end: float
    region: int


def speech_windows(
    regions: list[tuple[float, float]], window: float = WINDOW_S, hop: float = HOP_S
) -> list[Window]:
    """Sliding windows over each speech region; a short region gets one window of its own length."""
    out: list[Window] = []
    for k, (start, end) in enumerate(regions):
        length = end - start
        if length < MIN_WINDOW_S:
            continue
        if length <= window:
            out.append(Window(start, end, k))
            continue
        steps = int(np.ceil((length - window) / hop))
        for i in range(steps + 1):
            s = min(start + i * hop, end - window)
            out.append(Window(s, s + window, k))
    return out


def label_regions(
    regions: list[tuple[float, float]], windows: list[Window], labels: np.ndarray
) -> list[SpeakerTurn]:
    """Turns: each region is cut half-way between consecutive window centres, pieces take their label.

    A region without a window of its own (too short) takes the label of the nearest window.
    """
    if not windows:
        return []
    own: dict[int, list[tuple[Window, int]]] = {}
    for w, lab in zip(windows, labels, strict=True):
        own.setdefault(w.region, []).append((w, int(lab)))
    centres = np.array([(w.start + w.end) / 2 for w in windows])
    turns: list[SpeakerTurn] = []
    for k, (start, end) in enumerate(regions):
        pieces = own.get(k) or [(windows[j], int(labels[j])) for j in [_nearest(centres, (start + end) / 2)]]
        mids = [(w.start + w.end) / 2 for w, _ in pieces]
        cuts = [start] + [(a + b) / 2 for a, b in zip(mids, mids[1:], strict=False)] + [end]
        for (_, lab), a, b in zip(pieces, cuts, cuts[1:], strict=False):
            turns.append(SpeakerTurn(start=a, end=b, speaker=str(lab)))
    return merge_turns(turns)


def _nearest(centres: np.ndarray, t: float) -> int:
    return int(np.argmin(np.abs(centres - t)))


def merge_turns(
    turns: list[SpeakerTurn], min_turn: float = MIN_TURN_S, max_gap: float = 0.5
) -> list[SpeakerTurn]:
    """Absorb flickers shorter than ``min_turn``, then join same-speaker turns closer than ``max_gap``."""
    turns = sorted(turns, key=lambda t: t.start)
    for k, t in enumerate(turns):
        if t.duration < min_turn and 0 < k < len(turns) - 1:
            before, after = turns[k - 1], turns[k + 1]
            touching = before.end >= t.start - 1e-6 and after.start <= t.end + 1e-6
            if before.speaker == after.speaker and touching:
                turns[k] = SpeakerTurn(start=t.start, end=t.end, speaker=before.speaker)
    merged: list[SpeakerTurn] = []
    for t in turns:
        last = merged[-1] if merged else None
        if last and last.speaker == t.speaker and t.start - last.end <= max_gap:
            merged[-1] = SpeakerTurn(start=last.start, end=max(last.end, t.end), speaker=t.speaker)
        else:
            merged.append(t)
    return merged


def diarize(
    audio: np.ndarray | Iterable[AudioWindow],
    *,
    num_speakers: int | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
) -> tuple[list[SpeakerTurn], np.ndarray, np.ndarray]:
    """Speaker turns (labels "0", "1", ...) of 16 kHz mono audio or of its windows (a long
    recording: ``pipelines.windows.file_windows``), with the window embeddings and labels."""
    pieces = array_windows(audio) if isinstance(audio, np.ndarray) else audio
    regions, windows, embeddings = embed_speech(pieces)
    labels = cluster_embeddings(
        embeddings, num_speakers=num_speakers, min_speakers=min_speakers, max_speakers=max_speakers
    )
    return label_regions(regions, windows, labels), embeddings, labels


def embed_speech(
    audio_windows: Iterable[AudioWindow],
) -> tuple[list[tuple[float, float]], list[Window], np.ndarray]:
    """Speech regions, embedding windows and their embeddings, in recording seconds.

    One audio window at a time: what is kept is ~1 KB of embedding per 0.75 s of speech, not audio.
    """
    regions: list[tuple[float, float]] = []
    windows: list[Window] = []
    parts = [np.zeros((0, speaker_model.EMBEDDING_SIZE), dtype=np.float32)]
    for piece in audio_windows:
        local = speaker_model.speech_regions(piece.audio)
        inside = speech_windows(local)
        parts.append(speaker_model.embed_windows(piece.audio, [(w.start, w.end) for w in inside]))
        windows += [Window(piece.start + w.start, piece.start + w.end, len(regions) + w.region)
                    for w in inside]
        regions += [(piece.start + a, piece.start + b) for a, b in local]
    return regions, windows, np.concatenate(parts)


def embed_turns(audio: np.ndarray, turns: list[SpeakerTurn]) -> dict[str, np.ndarray]:
    """Window embeddings (n, 256) of each speaker's turns, e.g. to enroll confirmed voices."""
    regions = [(t.start, t.end) for t in turns]
    windows = speech_windows(regions)
    embeddings = speaker_model.embed_windows(audio, [(w.start, w.end) for w in windows])
    out: dict[str, list[np.ndarray]] = {}
    for w, e in zip(windows, embeddings, strict=True):
        out.setdefault(turns[w.region].speaker, []).append(e)
    return {name: np.stack(rows) for name, rows in out.items()}
