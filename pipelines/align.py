"""Giving each recognised word a speaker, then rebuilding the transcript as speaker turns."""
from __future__ import annotations

import bisect

import numpy as np

from pipelines.rttm import SpeakerTurn
from pipelines.transcript import Segment, Transcript, Word

NEAREST_S = 1.0
"""A word outside every speaker turn takes the nearest turn within this many seconds."""
TRACK_PAD_S = 0.05
"""Seconds added on each side of a word when measuring each track's energy."""


def transcript_words(transcript: Transcript) -> list[Word]:
    """All words in time order; a segment without word times counts as one long word."""
    words: list[Word] = []
    for seg in transcript.segments:
        if seg.words:
            words.extend(seg.words)
        elif seg.start is not None and seg.end is not None and seg.text.strip():
            words.append(Word(start=seg.start, end=seg.end, text=seg.text.strip(), probability=None))
    return words


def speakers_by_overlap(words: list[Word], turns: list[SpeakerTurn]) -> list[str | None]:
    """Per word, the speaker of the turn it overlaps most (or the nearest turn close by)."""
    ordered = sorted(turns, key=lambda t: t.start)
    starts = [t.start for t in ordered]
    reach = np.maximum.accumulate([t.end for t in ordered]) if ordered else np.zeros(0)
    out: list[str | None] = []
    for w in words:
        first = int(np.searchsorted(reach, w.start - NEAREST_S))  # earlier turns all end before
        last = bisect.bisect_right(starts, w.end + NEAREST_S)
        nearby = ordered[first:last]
        best, best_overlap = None, 0.0
        for t in nearby:
            overlap = min(w.end, t.end) - max(w.start, t.start)
            if overlap > best_overlap:
                best, best_overlap = t.speaker, overlap
        out.append(best if best is not None else _nearest(nearby, w))
    return _fill_gaps(out)


def _nearest(turns: list[SpeakerTurn], w: Word) -> str | None:
    mid = (w.start + w.end) / 2
    distance = [(max(t.start - mid, mid - t.end, 0.0), t.speaker) for t in turns]
    close = min(distance, default=(np.inf, None))
    return close[1] if close[0] <= NEAREST_S else None


def _fill_gaps(speakers: list[str | None]) -> list[str | None]:
    """Words nobody was found for take the previous word's speaker (else the next one's)."""
    out = list(speakers)
    for k in range(1, len(out)):
        if out[k] is None:
            out[k] = out[k - 1]
    for k in range(len(out) - 2, -1, -1):
        if out[k] is None:
            out[k] = out[k + 1]
    return out


def speakers_by_track(
    words: list[Word], tracks: list[tuple[str, np.ndarray]], sample_rate: int
) -> list[str | None]:
    """Per word, the name of the track with the most energy while it is spoken."""
    if not tracks:
        return [None] * len(words)
    out: list[str | None] = []
    for w in words:
        a = max(0, int((w.start - TRACK_PAD_S) * sample_rate))
        b = max(a + 1, int((w.end + TRACK_PAD_S) * sample_rate))
        energy = [float(np.mean(np.square(audio[a:b], dtype=np.float64))) if len(audio[a:b]) else 0.0
                  for _, audio in tracks]
        out.append(tracks[int(np.argmax(energy))][0] if max(energy) > 0 else None)
    return _fill_gaps(out)


def platform_turns(platform: Transcript) -> list[SpeakerTurn]:
    """The named, timed turns of a platform transcript (Zoom/Teams VTT with speaker names)."""
    return [
        SpeakerTurn(start=s.start, end=s.end, speaker=s.speaker)
        for s in platform.segments
        if s.speaker and s.start is not None and s.end is not None and s.end >= s.start
    ]


def rebuild_turns(words: list[Word], speakers: list[str | None]) -> list[Segment]:
    """Consecutive words of one speaker become one turn; a change of speaker starts a new one."""
    segments: list[Segment] = []
    run: list[Word] = []
    for k, (word, speaker) in enumerate(zip(words, speakers, strict=True)):
        run.append(word)
        if k + 1 == len(words) or speakers[k + 1] != speaker:
            segments.append(_segment(len(segments), run, speaker))
            run = []
    return segments


def _segment(index: int, words: list[Word], speaker: str | None) -> Segment:
    probs = [w.probability for w in words if w.probability is not None]
    return Segment(
        id=index,
        start=words[0].start,
        end=max(w.end for w in words),
        text=" ".join(w.text for w in words),
        speaker=speaker,
        confidence=round(float(np.mean(probs)), 4) if probs else None,
        words=list(words),
    )
