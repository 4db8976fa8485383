"""Tiny real recordings written at test time with PyAV (any container/codec PyAV can encode)."""
from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def tone(seconds: float, rate: int = 16000, freq: float = 440.0, channels: int = 1) -> np.ndarray:
    """A sine of ``freq`` Hz, shape (channels, n); channel k is at freq * (k + 1)."""
    t = np.arange(int(seconds * rate)) / rate
    waves = [0.5 * np.sin(2 * np.pi * freq * (k + 1) * t) for k in range(channels)]
    return np.stack(waves).astype(np.float32)


def write_audio(
    path: Path, samples: np.ndarray, rate: int, codec: str, *, video: bool = False, fmt: str | None = None
) -> Path:
    """Encode ``samples`` (channels, n) with ``codec`` into ``path``; ``video`` adds a picture track."""
    layout = "mono" if samples.shape[0] == 1 else "stereo"
    with av.open(str(path), "w", format=fmt) as out:
        picture = _add_video(out) if video else None
        stream = out.add_stream(codec, rate=rate, layout=layout)
        size = stream.codec_context.frame_size or 1024
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout=layout, rate=rate)
        for i in range(0, samples.shape[1], size):
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(samples[:, i : i + size]), format="fltp", layout=layout
            )
            frame.sample_rate = rate
            frame.pts = i
            for resampled in resampler.resample(frame):
                out.mux(stream.encode(resampled))
        out.mux(stream.encode(None))
        if picture is not None:
            _write_pictures(out, picture, seconds=samples.shape[1] / rate)
    return path


def write_video_only(path: Path, seconds: float = 1.0) -> Path:
    """A video file with a picture track and no sound."""
    with av.open(str(path), "w") as out:
        _write_pictures(out, _add_video(out), seconds)
    return path


def _add_video(out: av.container.OutputContainer) -> av.video.stream.VideoStream:
    stream = out.add_stream("mpeg4", rate=10)
    stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
    return stream


def _write_pictures(
    out: av.container.OutputContainer, stream: av.video.stream.VideoStream, seconds: float
) -> None:
    for i in range(max(1, int(seconds * 10))):
        frame = av.VideoFrame.from_ndarray(np.full((32, 32, 3), i % 255, dtype=np.uint8), format="rgb24")
        frame.pts = i
        out.mux(stream.encode(frame))
    out.mux(stream.encode(None))
