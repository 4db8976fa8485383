"""Windows of a long recording: they tile it exactly, stay bounded, and are cut in pauses."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from audiogen import write_audio

from pipelines.audio import SAMPLE_RATE, decode_audio
from pipelines.windows import array_windows, cut_windows, file_windows, quietest_frame

JFK = Path(__file__).parents[1] / ".." / "shared" / "data" / "audio" / "jfk.flac"


def test_quietest_frame_is_the_middle_of_the_longest_pause():
    probs = np.array([0.9, 0.1, 0.9, 0.1, 0.1, 0.1, 0.1, 0.9, 0.2, 0.2, 0.9])
    assert quietest_frame(probs) == 4
    assert quietest_frame(np.array([0.9, 0.6, 0.8])) == 1  # no pause: the least speech-like frame
    assert quietest_frame(np.array([0.1, 0.1])) == 0


def test_windows_tile_the_input_exactly_whatever_the_block_size():
    rng = np.random.default_rng(1)
    audio = (rng.standard_normal(SAMPLE_RATE * 25) * 0.01).astype(np.float32)
    for size in (7, 1000, len(audio)):
        blocks = [audio[k : k + size] for k in range(0, len(audio), size)]
        windows = list(cut_windows(blocks, window_s=6.0, search_s=2.0))
        assert np.array_equal(np.concatenate([w.audio for w in windows]), audio)
        assert all(0 < w.duration <= 6.0 for w in windows)
        assert all(4.0 <= w.duration for w in windows[:-1])  # cut inside the last 2 s
        assert [w.start for w in windows[1:]] == pytest.approx([w.end for w in windows[:-1]])


def test_a_short_input_is_one_window_and_nothing_gives_none():
    audio = np.ones(SAMPLE_RATE, dtype=np.float32)
    (only,) = array_windows(audio, window_s=5.0)
    assert only.start == 0.0 and np.array_equal(only.audio, audio) and only.audio is not audio
    assert list(cut_windows([])) == []


@pytest.mark.slow
def test_windows_are_cut_in_the_pause_between_two_speeches(tmp_path: Path):
    if not JFK.exists():
        pytest.skip("../shared/data/audio/jfk.flac is not present")
    speech = decode_audio(JFK)
    pause = np.zeros(2 * SAMPLE_RATE, dtype=np.float32)
    joined = np.concatenate([speech, pause, speech, pause, speech])
    path = write_audio(tmp_path / "three.wav", joined[None, :], SAMPLE_RATE, "pcm_s16le")
    windows = list(file_windows(path, window_s=16.0))
    gaps = [(len(speech) / SAMPLE_RATE + k * (len(speech) + len(pause)) / SAMPLE_RATE) for k in range(2)]
    cuts = [w.end for w in windows[:-1]]
    assert len(cuts) == 2
    for cut, gap in zip(cuts, gaps, strict=True):
        assert gap - 0.3 <= cut <= gap + 2.3  # inside the pause (jfk ends in ~1 s of quiet)
    total = sum(len(w.audio) for w in windows)
    assert abs(total - len(joined)) <= 1  # 16-bit WAV round trip keeps the length
