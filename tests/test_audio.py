"""Decoding recordings with PyAV: every supported container, and a clear error for each bad input."""
from __future__ import annotations

import re
import wave
from pathlib import Path

import numpy as np
import pytest
from audiogen import tone, write_audio, write_video_only

from pipelines.audio import _GrowingBuffer, decode_audio, decode_channels, probe_audio
from pipelines.errors import BadInputError

SHARED = Path(__file__).parents[1] / ".." / "shared" / "data" / "audio"

# name, codec, source rate, channels, with a picture track
FORMATS = [
    ("a.wav", "pcm_s16le", 16000, 1, False),
    ("a.flac", "flac", 44100, 2, False),
    ("a.mp3", "libmp3lame", 44100, 2, False),
    ("a.m4a", "aac", 44100, 1, False),
    ("a.ogg", "libopus", 48000, 1, False),
    ("a.opus", "libopus", 48000, 1, False),
    ("a.webm", "libopus", 48000, 1, False),
    ("a.mp4", "aac", 48000, 1, True),
    ("a.mkv", "flac", 22050, 1, True),
]


def dominant_hz(audio: np.ndarray, rate: int = 16000) -> float:
    spectrum = np.abs(np.fft.rfft(audio))
    return float(np.argmax(spectrum) * rate / len(audio))


@pytest.mark.parametrize(("name", "codec", "rate", "channels", "video"), FORMATS)
def test_decodes_to_16k_mono_float(
    tmp_path: Path, name: str, codec: str, rate: int, channels: int, video: bool
):
    path = write_audio(tmp_path / name, tone(2.0, rate, channels=channels), rate, codec, video=video)
    audio = decode_audio(path)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert abs(len(audio) / 16000 - 2.0) < 0.05
    assert abs(dominant_hz(audio) - 440) < 5
    info = probe_audio(path)
    assert info.channels == channels and info.sample_rate == rate
    assert info.duration is not None and abs(info.duration - 2.0) < 0.05


def test_decode_channels_keeps_each_track(tmp_path: Path):
    path = write_audio(tmp_path / "s.flac", tone(1.0, 44100, channels=2), 44100, "flac")
    tracks = decode_channels(path)
    assert tracks.shape[0] == 2 and abs(tracks.shape[1] - 16000) < 10
    assert abs(dominant_hz(tracks[0]) - 440) < 5
    assert abs(dominant_hz(tracks[1]) - 880) < 5
    assert np.allclose(decode_audio(path), tracks.mean(axis=0), atol=1e-6)


def test_real_stereo_flac_matches_faster_whisper_decoder():
    jfk = SHARED / "jfk.flac"
    if not jfk.exists():
        pytest.skip("../shared/data/audio/jfk.flac is not present")
    from faster_whisper.audio import decode_audio as fw_decode

    ours, theirs = decode_audio(jfk), fw_decode(str(jfk))
    assert ours.shape == theirs.shape
    assert np.abs(ours - theirs).max() < 1e-3  # theirs goes through 16-bit integers


def test_zero_length_audio_is_empty_not_an_error(tmp_path: Path):
    path = tmp_path / "empty.wav"
    with wave.open(str(path), "wb") as w:  # a valid header and no samples
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
    assert decode_audio(path).shape == (0,)
    assert probe_audio(path).duration in (0.0, None)


def test_silence_decodes_to_zeros(tmp_path: Path):
    path = write_audio(tmp_path / "quiet.wav", np.zeros((1, 16000), np.float32), 16000, "pcm_s16le")
    audio = decode_audio(path)
    assert len(audio) == 16000 and not audio.any()


def test_empty_file(tmp_path: Path):
    path = tmp_path / "empty.mp3"
    path.write_bytes(b"")
    with pytest.raises(BadInputError, match=r"empty\.mp3 is empty"):
        decode_audio(path)


def test_missing_file(tmp_path: Path):
    with pytest.raises(BadInputError, match="does not exist"):
        probe_audio(tmp_path / "nope.wav")


def test_not_audio(tmp_path: Path):
    path = tmp_path / "notes.m4a"
    path.write_text("Meeting notes, not a recording.\n" * 20)
    with pytest.raises(BadInputError, match=r"notes\.m4a is not an audio or video file"):
        decode_audio(path)


@pytest.mark.parametrize("name", ["noise.flac", "noise.wav", "noise.mp3"])
def test_random_bytes_with_an_audio_name(tmp_path: Path, name: str):
    path = tmp_path / name
    path.write_bytes(np.random.default_rng(1).integers(0, 256, 20000, np.uint8).tobytes())
    for read in (probe_audio, decode_audio):
        with pytest.raises(BadInputError, match=re.escape(name) + " (has no decodable audio|is not an)"):
            read(path)


def test_truncated_file(tmp_path: Path):
    whole = write_audio(tmp_path / "whole.flac", tone(6.0, 44100), 44100, "flac").read_bytes()
    cut = tmp_path / "cut.flac"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(BadInputError, match=r"cut\.flac is truncated"):
        decode_audio(cut)


def test_corrupt_middle(tmp_path: Path):
    data = bytearray(write_audio(tmp_path / "ok.mp3", tone(6.0, 44100), 44100, "libmp3lame").read_bytes())
    cut = len(data) // 3
    data[cut:] = np.random.default_rng(0).integers(0, 256, len(data) - cut, np.uint8).tobytes()
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(bytes(data))
    with pytest.raises(BadInputError, match=r"bad\.mp3 is truncated"):
        decode_audio(bad)


def test_video_without_audio_track(tmp_path: Path):
    path = write_video_only(tmp_path / "screen.mp4")
    with pytest.raises(BadInputError, match=r"screen\.mp4 is a video with no audio track"):
        decode_audio(path)


def test_over_size_limit(tmp_path: Path):
    path = write_audio(tmp_path / "big.wav", tone(2.0), 16000, "pcm_s16le")
    with pytest.raises(BadInputError, match=r"big\.wav is .* over the limit"):
        probe_audio(path, max_bytes=1000)


def test_over_duration_limit(tmp_path: Path):
    path = write_audio(tmp_path / "long.wav", tone(3.0), 16000, "pcm_s16le")
    with pytest.raises(BadInputError, match=r"long\.wav is longer than the limit of 2 s"):
        decode_audio(path, max_duration_s=2.0)
    assert len(decode_audio(path, max_duration_s=4.0)) == 48000


def test_growing_buffer_keeps_samples_when_it_grows():
    buf = _GrowingBuffer(3)
    for k in range(10):
        buf.append(np.full(5, k, np.float32))
    out = buf.finish()
    assert out.shape == (50,) and np.array_equal(out, np.repeat(np.arange(10, dtype=np.float32), 5))
