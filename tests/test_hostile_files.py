"""Hostile files get the right words: a picture named .mp3, a WAV cut short, a cue that ends before
it starts. Every file is made here, in the test."""
from __future__ import annotations

import struct
import wave
import zlib
from pathlib import Path

import numpy as np
import pytest

from pipelines.audio import probe_audio
from pipelines.errors import BadInputError
from pipelines.formats import read_transcript


def wav(path: Path, seconds: float = 1.0, claim_bytes: int | None = None) -> Path:
    """A 16 kHz mono tone; ``claim_bytes``: what the header's data chunk says it holds."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((np.sin(np.arange(int(16000 * seconds)) * 0.1) * 8000).astype("<i2").tobytes())
    if claim_bytes is not None:
        raw = bytearray(path.read_bytes())
        at = raw.index(b"data")
        raw[at + 4 : at + 8] = struct.pack("<I", claim_bytes)
        path.write_bytes(bytes(raw))
    return path


def png(path: Path) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * 12 for _ in range(4)))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
                     + chunk(b"IEND", b""))
    return path


def test_a_picture_renamed_mp3_is_called_an_image(tmp_path: Path):
    with pytest.raises(BadInputError) as info:
        probe_audio(png(tmp_path / "cover.mp3"))
    assert "is an image (PNG), not a recording" in str(info.value) and "video" not in str(info.value)


@pytest.mark.parametrize("claim", [20 * 32000, 0xFFFFFFFF])
def test_a_wav_whose_header_claims_more_than_it_holds_is_truncated(tmp_path: Path, claim: int):
    path = wav(tmp_path / "cut.wav", 1.0, claim)
    with pytest.raises(BadInputError, match=r"cut.wav is truncated: its header announces .* holds 1.0 s"):
        probe_audio(path)


def test_a_whole_wav_passes(tmp_path: Path):
    assert probe_audio(wav(tmp_path / "whole.wav", 1.0)).duration == pytest.approx(1.0)


def test_a_cue_ending_before_it_starts_is_kept_with_a_warning(tmp_path: Path):
    path = tmp_path / "back.vtt"
    path.write_text("WEBVTT\n\n00:00:05.000 --> 00:00:02.000\n<v Ana>We start.\n\n"
                    "00:00:06.000 --> 00:00:07.000\n<v Ben>Fine.\n")
    t = read_transcript(path)
    assert t.segments[0].start == t.segments[0].end == 5.0
    assert len(t.warnings) == 1 and "back.vtt, line 3" in t.warnings[0]
    assert "ends before it starts" in t.warnings[0]
    good = tmp_path / "good.vtt"
    good.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>We start.\n")
    assert read_transcript(good).warnings == []


def test_absurd_hours_in_a_timing_line_are_a_readable_error(tmp_path: Path):
    path = tmp_path / "hours.srt"
    path.write_text("1\n" + "9" * 5000 + ":00:00,000 --> 00:00:01,000\nhello\n")
    with pytest.raises(BadInputError, match="cannot read the SRT timing line"):
        read_transcript(path)
