"""The transcription stage on real speech (../shared/data/audio, see its SOURCES.md)."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from audiogen import write_audio

from pipelines.errors import BadInputError
from pipelines.repetition import collapse_repeated_segments, collapse_word_loops
from pipelines.transcribe import TranscribeOptions, transcribe
from pipelines.transcript import Segment

AUDIO = Path(__file__).parents[1] / ".." / "shared" / "data" / "audio"


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


@pytest.fixture(scope="module")
def jfk() -> Path:
    path = AUDIO / "jfk.flac"
    if not path.exists():
        pytest.skip("../shared/data/audio/jfk.flac is not present")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", [1, 8])
def test_jfk_word_error_rate_and_timestamps(jfk: Path, batch_size: int):
    import jiwer

    seen: list[float] = []
    options = TranscribeOptions(batch_size=batch_size, cpu_threads=2)
    transcript = transcribe(jfk, options, progress=seen.append)
    reference = (AUDIO / "jfk.ref.txt").read_text()
    wer = jiwer.wer(normalise(reference), normalise(transcript.text))
    assert wer <= 0.15, (wer, transcript.text)
    assert transcript.language == "en" and transcript.duration == pytest.approx(11.0, abs=0.01)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    starts = []
    for seg in transcript.segments:
        assert seg.speaker is None and seg.words and 0 < (seg.confidence or 0) <= 1
        assert 0.0 <= seg.start <= seg.end <= transcript.duration
        for word in seg.words:
            assert seg.start <= word.start <= word.end <= seg.end
            starts.append(word.start)
    assert starts == sorted(starts)


@pytest.mark.slow
def test_silent_audio_gives_an_empty_transcript(tmp_path: Path):
    rng = np.random.default_rng(0)
    hiss = (rng.standard_normal((1, 16000 * 5)) * 1e-4).astype(np.float32)  # near-silence, not zeros
    for name, samples in (("zeros.wav", np.zeros((1, 16000 * 5), np.float32)), ("hiss.wav", hiss)):
        path = write_audio(tmp_path / name, samples, 16000, "pcm_s16le")
        transcript = transcribe(path, TranscribeOptions(cpu_threads=2))
        assert transcript.segments == [] and transcript.duration == pytest.approx(5.0)


def test_bad_input_is_a_bad_input_error(tmp_path: Path):
    path = tmp_path / "call.wav"
    path.write_text("not a recording")
    with pytest.raises(BadInputError, match=r"call\.wav is not an audio or video file"):
        transcribe(path, TranscribeOptions())


def test_word_loops_collapse_to_one_occurrence():
    tokens = "we will we will thank you. Thank you thank you, thank you thank you thank you so much".split()
    kept = [tokens[i] for i in collapse_word_loops(tokens, max_repeats=4)]
    assert kept == ["we", "will", "we", "will", "thank", "you.", "so", "much"]


def test_short_genuine_repeats_are_kept():
    tokens = "no no no I said no".split()
    assert collapse_word_loops(tokens, max_repeats=4) == list(range(len(tokens)))


def test_repeated_segments_collapse_only_past_the_limit():
    def seg(i: int, text: str) -> Segment:
        return Segment(id=i, start=i, end=i + 1, text=text)

    looped = [seg(0, "Hello.")] + [seg(i, "Thank you.") for i in range(1, 8)] + [seg(8, "Bye.")]
    assert [s.text for s in collapse_repeated_segments(looped, 4)] == ["Hello.", "Thank you.", "Bye."]
    twice = [seg(0, "Yes."), seg(1, "Yes."), seg(2, "Okay.")]
    assert [s.text for s in collapse_repeated_segments(twice, 4)] == ["Yes.", "Yes.", "Okay."]
