"""Transcription window by window: times offset into the recording, the same words as one pass."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from audiogen import write_audio
from faster_whisper.transcribe import Segment as FwSegment
from faster_whisper.transcribe import Word as FwWord

from pipelines.audio import SAMPLE_RATE, decode_audio
from pipelines.transcribe import TranscribeOptions, collect_segments, transcribe
from pipelines.windows import AudioWindow

JFK = Path(__file__).parents[1] / ".." / "shared" / "data" / "audio" / "jfk.flac"


def fw_segment(start: float, end: float, words: list[tuple[float, float, str]]) -> FwSegment:
    return FwSegment(
        id=1, seek=0, start=start, end=end, text="".join(w for _, _, w in words), tokens=[],
        avg_logprob=-0.2, compression_ratio=1.0, no_speech_prob=0.0, temperature=0.0,
        words=[FwWord(start=a, end=b, word=w, probability=0.9) for a, b, w in words],
    )


def test_times_are_offset_by_the_window_start_and_clamped_into_it():
    window = AudioWindow(start=100.0, audio=np.zeros(10 * SAMPLE_RATE, dtype=np.float32))
    raw = [fw_segment(1.0, 3.0, [(1.0, 1.5, " we"), (1.4, 2.0, " agreed")]),
           fw_segment(9.0, 10.5, [(9.0, 9.5, " next"), (9.6, 10.4, " week")])]
    seen: list[float] = []
    segments = collect_segments(raw, window, 4, seen.append)
    assert [(w.start, w.end, w.text) for s in segments for w in s.words] == [
        (101.0, 101.5, "we"), (101.4, 102.0, "agreed"), (109.0, 109.5, "next"), (109.6, 110.0, "week")]
    assert [(s.start, s.end, s.text) for s in segments] == [
        (101.0, 102.0, "we agreed"), (109.0, 110.0, "next week")]
    assert seen == [103.0, 110.0]


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


@pytest.mark.slow
def test_windows_give_the_words_of_one_pass_at_the_right_times(tmp_path: Path):
    import jiwer

    if not JFK.exists():
        pytest.skip("../shared/data/audio/jfk.flac is not present")
    speech = decode_audio(JFK)
    pause = np.zeros(2 * SAMPLE_RATE, dtype=np.float32)
    path = write_audio(tmp_path / "three.wav", np.concatenate([speech, pause] * 3)[None, :], SAMPLE_RATE,
                       "pcm_s16le")
    seen: list[float] = []
    windowed = transcribe(path, TranscribeOptions(cpu_threads=2, window_s=16.0), progress=seen.append)
    whole = transcribe(path, TranscribeOptions(cpu_threads=2, window_s=600.0))
    assert jiwer.wer(normalise(whole.text), normalise(windowed.text)) <= 0.05, (whole.text, windowed.text)
    assert windowed.duration == whole.duration == pytest.approx(39.0, abs=0.01)
    assert windowed.language == "en" and seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    starts = [w.start for s in windowed.segments for w in s.words]
    assert starts == sorted(starts) and starts[-1] < windowed.duration
    third = (len(speech) + len(pause)) / SAMPLE_RATE
    for k in range(3):  # each repetition's first word starts within its own stretch of audio
        first = next(w for s in windowed.segments for w in s.words if w.start >= k * third - 1.5)
        assert abs(first.start - k * third) < 1.0 and first.text.lower().startswith("and")
    assert [s.id for s in windowed.segments] == list(range(len(windowed.segments)))
