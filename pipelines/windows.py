"""A long recording as windows of a few minutes, cut in silences, so no stage holds it whole.

A window ends at most ``WINDOW_S`` after it starts, in the longest pause (Silero VAD) of its
last ``SEARCH_S`` seconds; the audio after the cut begins the next window. Windows tile the
recording exactly (no overlap, no gap), and each knows where it starts, so times found inside a
window are offset back into the recording. Memory stays at about two windows whatever the length.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipelines.audio import SAMPLE_RATE, stream_audio

WINDOW_S = 180.0
"""Longest window in seconds: ~135 MB of transcription working memory, whatever the recording's length."""
SEARCH_S = 30.0
"""The cut is looked for in this many last seconds of a full window (pauses come every few seconds)."""
SILENCE_PROBABILITY = 0.35
"""A VAD frame below this speech probability is a pause (models.speaker.VAD_THRESHOLD)."""


@dataclass(frozen=True)
class AudioWindow:
    """A stretch of 16 kHz mono audio starting ``start`` seconds into the recording."""

    start: float
    audio: np.ndarray

    @property
    def duration(self) -> float:
        return len(self.audio) / SAMPLE_RATE

    @property
    def end(self) -> float:
        return self.start + self.duration


def file_windows(
    path: str | Path,
    *,
    window_s: float = WINDOW_S,
    max_bytes: int | None = None,
    max_duration_s: float | None = None,
) -> Iterator[AudioWindow]:
    """The recording's windows, decoded as they are needed (``decode_audio``'s checks apply)."""
    blocks = stream_audio(path, max_bytes=max_bytes, max_duration_s=max_duration_s)
    return cut_windows(blocks, window_s=window_s)


def array_windows(audio: np.ndarray, *, window_s: float = WINDOW_S) -> Iterator[AudioWindow]:
    """Windows of audio already in memory (views would pin it whole: each window is its own copy)."""
    return cut_windows([np.asarray(audio, dtype=np.float32)], window_s=window_s)


def cut_windows(
    blocks: Iterable[np.ndarray], *, window_s: float = WINDOW_S, search_s: float = SEARCH_S
) -> Iterator[AudioWindow]:
    """Gather blocks of samples into windows cut at pauses; the last window takes what is left."""
    limit = max(2, int(window_s * SAMPLE_RATE))
    search = min(int(search_s * SAMPLE_RATE), limit - 1)
    buf = np.empty(limit, dtype=np.float32)
    filled, start = 0, 0
    for block in blocks:
        pos = 0
        while pos < len(block):
            take = min(limit - filled, len(block) - pos)
            buf[filled : filled + take] = block[pos : pos + take]
            filled, pos = filled + take, pos + take
            if filled == limit:
                cut = limit - search + pause_in(buf[limit - search :])
                yield AudioWindow(start / SAMPLE_RATE, buf[:cut].copy())
                buf[: limit - cut] = buf[cut:].copy()
                filled, start = limit - cut, start + cut
    if filled:
        yield AudioWindow(start / SAMPLE_RATE, buf[:filled].copy())


def pause_in(audio: np.ndarray) -> int:
    """A sample index in the middle of the longest pause of ``audio`` (>= 1, < its length)."""
    from models.speaker import VAD_FRAME, speech_probabilities

    frame = quietest_frame(speech_probabilities(audio))
    return int(min(max(1, frame * VAD_FRAME + VAD_FRAME // 2), len(audio) - 1))


def quietest_frame(probabilities: np.ndarray, threshold: float = SILENCE_PROBABILITY) -> int:
    """The middle frame of the longest run below ``threshold`` (else the least speech-like frame)."""
    quiet = np.concatenate([[False], probabilities < threshold, [False]])
    edges = np.flatnonzero(np.diff(quiet.astype(np.int8)))
    if len(edges) == 0:
        return int(np.argmin(probabilities)) if len(probabilities) else 0
    starts, ends = edges[0::2], edges[1::2]
    longest = int(np.argmax(ends - starts))
    return int((starts[longest] + ends[longest] - 1) // 2)
