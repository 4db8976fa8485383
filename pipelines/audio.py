"""Decode any recording (audio file or video container) to 16 kHz float32 with PyAV.

Decoding streams frame by frame, either into one growing buffer (a long recording is held in
memory once) or block by block to the caller (``stream_audio``: never held whole). Every
failure a user can cause becomes a ``BadInputError`` naming the file.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from pipelines.errors import BadInputError

SAMPLE_RATE = 16000
FORMATS_HINT = "wav, flac, mp3, m4a/aac, ogg/opus, webm, mp4 or mkv"
# A decoding error this close to the announced end is a damaged last packet, not a truncation.
TAIL_TOLERANCE = 0.98
# Decoding less than this share of the announced duration means the file was cut short.
TRUNCATED_BELOW = 0.85


class AudioInfo(BaseModel):
    """What the container says about a recording's audio track, before decoding it."""

    path: str
    duration: float | None
    channels: int
    sample_rate: int
    codec: str
    size_bytes: int
    container: str


def probe_audio(
    path: str | Path, *, max_bytes: int | None = None, max_duration_s: float | None = None
) -> AudioInfo:
    """Read the audio track's header; raise ``BadInputError`` for an unusable or oversize file."""
    with _open_audio(path, max_bytes) as (container, stream, info):
        _check_duration(info, info.duration, max_duration_s)
        if info.container == "wav":
            _check_wav_data(Path(path), info)
        return info


def decode_audio(
    path: str | Path,
    sample_rate: int = SAMPLE_RATE,
    *,
    max_bytes: int | None = None,
    max_duration_s: float | None = None,
) -> np.ndarray:
    """The whole audio track as float32 mono at ``sample_rate`` (empty for a zero-length file)."""
    return _decode(path, sample_rate, True, max_bytes, max_duration_s)[0]


def decode_channels(
    path: str | Path,
    sample_rate: int = SAMPLE_RATE,
    *,
    max_bytes: int | None = None,
    max_duration_s: float | None = None,
) -> np.ndarray:
    """Every channel separately, float32, shape ``(channels, samples)`` (per-speaker tracks)."""
    return np.stack(_decode(path, sample_rate, False, max_bytes, max_duration_s))


def stream_audio(
    path: str | Path,
    sample_rate: int = SAMPLE_RATE,
    *,
    max_bytes: int | None = None,
    max_duration_s: float | None = None,
) -> Iterator[np.ndarray]:
    """The audio track as float32 mono blocks in order, with ``decode_audio``'s checks, never whole."""
    for frames in _frames(path, sample_rate, max_bytes, max_duration_s):
        yield frames[:, 0].copy() if frames.shape[1] == 1 else frames.mean(axis=1, dtype=np.float32)


def _decode(
    path: str | Path,
    sample_rate: int,
    mono: bool,
    max_bytes: int | None,
    max_duration_s: float | None,
) -> list[np.ndarray]:
    """Decode into one buffer per output channel; mono is the plain mean of the channels."""
    info = probe_audio(path, max_bytes=max_bytes, max_duration_s=max_duration_s)
    capacity = int((info.duration or 60.0) * sample_rate) + sample_rate
    buffers = [_GrowingBuffer(capacity) for _ in range(1 if mono else info.channels)]
    for frames in _frames(path, sample_rate, max_bytes, max_duration_s):
        if mono:
            buffers[0].append(frames[:, 0] if frames.shape[1] == 1 else frames.mean(axis=1))
        else:
            for k, buf in enumerate(buffers):
                buf.append(frames[:, k])
    return [buf.finish() for buf in buffers]


def _frames(
    path: str | Path, sample_rate: int, max_bytes: int | None, max_duration_s: float | None
) -> Iterator[np.ndarray]:
    """Resampled packed float blocks as (samples, channels); duration and completeness checked."""
    import av

    with _open_audio(path, max_bytes) as (container, stream, info):
        _check_duration(info, info.duration, max_duration_s)
        resampler = av.AudioResampler(format="flt", layout=stream.layout, rate=sample_rate)
        decoded = [0]  # samples so far, read by _resampled's error message
        for block in _resampled(container, stream, resampler, info, lambda: decoded[0] / sample_rate):
            frames = block.reshape(-1, info.channels)  # packed float: one row per sample instant
            decoded[0] += frames.shape[0]
            _check_duration(info, decoded[0] / sample_rate, max_duration_s)
            yield frames
        _check_complete(info, decoded[0] / sample_rate)


def _resampled(
    container: Any, stream: Any, resampler: Any, info: AudioInfo, seconds: Callable[[], float]
) -> Iterator[np.ndarray]:
    """Resampled packed float blocks; decoding errors become a clear BadInputError."""
    import av

    try:
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                yield out.to_ndarray()
    except av.FFmpegError as exc:
        decoded = seconds()
        if info.duration is None or decoded < info.duration * TAIL_TOLERANCE:
            raise BadInputError(
                f"{info.path} is truncated or corrupt: decoding stopped at {decoded:.1f} s"
                f"{_of(info.duration)} ({exc.strerror or exc}); upload the complete recording again"
            ) from None
    for out in resampler.resample(None):
        yield out.to_ndarray()


def _of(duration: float | None) -> str:
    return f" of {duration:.1f} s" if duration else ""


@contextmanager
def _open_audio(path: str | Path, max_bytes: int | None) -> Iterator[tuple[Any, Any, AudioInfo]]:
    """Open the container and pick its audio track, or explain why that is impossible."""
    import av

    p = Path(path)
    size = _checked_size(p, max_bytes)
    try:
        container = av.open(str(p), metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError) as exc:
        raise BadInputError(
            f"{p} is not an audio or video file that can be read ({getattr(exc, 'strerror', None) or exc}); "
            f"send a recording as {FORMATS_HINT}"
        ) from None
    with container:
        if not container.streams.audio:
            raise BadInputError(_no_audio_message(p, container))
        stream = container.streams.audio[0]
        info = _info(p, size, container, stream)
        if info.sample_rate <= 0:  # the container parsed but its audio header did not (e.g. random bytes)
            raise BadInputError(
                f"{p} has no decodable audio (its {info.codec} header gives no sample rate); "
                f"send a recording as {FORMATS_HINT}"
            )
        yield container, stream, info


def _checked_size(p: Path, max_bytes: int | None) -> int:
    if not p.is_file():
        raise BadInputError(f"{p} does not exist or is not a file; check the path")
    size = p.stat().st_size
    if size == 0:
        raise BadInputError(f"{p} is empty (0 bytes); upload the recording again")
    if max_bytes is not None and size > max_bytes:
        raise BadInputError(
            f"{p} is {size / 2**20:.0f} MiB, over the limit of {max_bytes / 2**20:.0f} MiB; "
            "split the recording or raise AW_MAX_UPLOAD_MB"
        )
    return size


def _no_audio_message(p: Path, container: Any) -> str:
    kinds = sorted({s.type for s in container.streams})
    fmt = container.format.name or ""
    if fmt.endswith("_pipe") or fmt.startswith("image2"):  # a still picture, whatever its name says
        codec = container.streams.video[0].codec_context.name if container.streams.video else fmt
        return (f"{p} is an image ({codec.upper()}), not a recording; send a recording as "
                f"{FORMATS_HINT}")
    if "video" in kinds:
        return f"{p} is a video with no audio track; export the recording with its sound"
    found = ", ".join(kinds) if kinds else "nothing"
    return f"{p} has no audio track (found: {found}); send a recording as {FORMATS_HINT}"


def _info(p: Path, size: int, container: Any, stream: Any) -> AudioInfo:
    ctx = stream.codec_context
    return AudioInfo(
        path=str(p),
        duration=_duration(container, stream),
        channels=ctx.channels or 1,
        sample_rate=ctx.sample_rate or 0,
        codec=ctx.name,
        size_bytes=size,
        container=container.format.name,
    )


def _duration(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return None


def _check_duration(info: AudioInfo, seconds: float | None, max_duration_s: float | None) -> None:
    if max_duration_s is not None and seconds is not None and seconds > max_duration_s:
        raise BadInputError(
            f"{info.path} is longer than the limit of {max_duration_s:.0f} s"
            f" ({seconds:.0f} s or more); split the recording or raise AW_MAX_DURATION_S"
        )


def _check_wav_data(p: Path, info: AudioInfo) -> None:
    """A WAV whose header announces more sound than the file holds was cut short (PyAV times a WAV
    by its size, so only the header tells)."""
    announced, held = _wav_data_sizes(p)
    if announced is None or held is None or announced <= held * 1.02 + 4096:
        return
    per_s = (held / info.duration) if info.duration else None
    said = f"{announced / per_s:.1f} s" if per_s else f"{announced:,} bytes of sound"
    raise BadInputError(
        f"{info.path} is truncated: its header announces {said} but the file holds "
        f"{(info.duration or 0.0):.1f} s; upload the complete recording again"
    )


def _wav_data_sizes(p: Path) -> tuple[int | None, int | None]:
    """(bytes the ``data`` chunk announces, bytes that follow it in the file), read from the RIFF chunks."""
    size = p.stat().st_size
    with p.open("rb") as f:
        if f.read(12)[8:12] != b"WAVE":
            return None, None
        at = 12
        for _ in range(64):  # chunks before "data" (fmt, LIST, fact...): a few
            head = f.read(8)
            if len(head) < 8:
                return None, None
            length = int.from_bytes(head[4:], "little")
            if head[:4] == b"data":
                return length, size - at - 8
            at += 8 + length + (length & 1)
            f.seek(at)
    return None, None


def _check_complete(info: AudioInfo, decoded: float) -> None:
    if info.duration and info.duration > 1.0 and decoded < info.duration * TRUNCATED_BELOW:
        raise BadInputError(
            f"{info.path} is truncated: it announces {info.duration:.1f} s but only {decoded:.1f} s "
            "could be decoded; upload the complete recording again"
        )


class _GrowingBuffer:
    """A float32 array grown in place, so the decoded audio exists once in memory."""

    def __init__(self, capacity: int) -> None:
        self._data = np.empty(max(capacity, 1), dtype=np.float32)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def append(self, samples: np.ndarray) -> None:
        end = self._n + samples.shape[0]
        if end > self._data.shape[0]:
            self._data.resize(max(end, int(self._data.shape[0] * 1.5)), refcheck=False)
        self._data[self._n : end] = samples
        self._n = end

    def finish(self) -> np.ndarray:
        """The samples, trimmed in place to their length."""
        self._data.resize(self._n, refcheck=False)
        return self._data
