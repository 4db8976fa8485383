"""Speaker embeddings (Resemblyzer's pretrained voice encoder) and speech regions (Silero VAD).

One encoder per process, on the CPU. Heavy imports (torch, librosa, faster_whisper) happen
inside the functions, so importing this module is cheap.
"""
from __future__ import annotations

import threading
import warnings
from functools import lru_cache
from typing import Any

import numpy as np

SAMPLE_RATE = 16000
"""Resemblyzer's encoder works on 16 kHz audio only."""
MEL_HOP = 160
"""Samples per mel frame (10 ms at 16 kHz), Resemblyzer's mel_window_step."""
EMBEDDING_SIZE = 256
"""Length of one speaker embedding (L2-normed, non-negative)."""
TARGET_DBFS = -30.0
"""Loudness the audio is raised to before the mel spectrogram (Resemblyzer's own target)."""

VAD_THRESHOLD = 0.35
"""Silero speech probability above which a frame is speech; below faster-whisper's 0.5 so that
far-field meeting-room voices are kept (lowered DER on the AMI excerpts by ~20 points)."""

ENCODER_THREADS = 1
"""Torch threads for the small LSTM encoder: one thread is as fast alone and far faster when the
cores are shared (2 threads were 7x slower on a busy 2-core machine)."""

_warm_lock = threading.Lock()
_warmed = False


@lru_cache(maxsize=1)
def _import_resemblyzer() -> None:
    """Import Resemblyzer once, without the pkg_resources deprecation notice its webrtcvad prints."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        import resemblyzer  # noqa: F401


@lru_cache(maxsize=1)
def load_voice_encoder() -> Any:
    """The Resemblyzer VoiceEncoder on the CPU, loaded once per process."""
    _import_resemblyzer()
    from resemblyzer import VoiceEncoder

    encoder = VoiceEncoder(device="cpu", verbose=False)
    encoder.eval()
    return encoder


def warm_up() -> None:
    """Load the encoder and compile librosa's numba code once per process (~15 s the first time)."""
    global _warmed
    with _warm_lock:
        if _warmed:
            return
        _import_resemblyzer()
        from resemblyzer import preprocess_wav

        noise = np.random.default_rng(0).normal(0, 0.05, SAMPLE_RATE).astype(np.float32)
        preprocess_wav(noise, source_sr=SAMPLE_RATE)
        embed_windows(noise, [(0.0, 1.0)])
        _warmed = True


def mel_frames(audio: np.ndarray) -> np.ndarray:
    """Mel spectrogram (frames, 40) of 16 kHz audio, after Resemblyzer's volume normalisation."""
    _import_resemblyzer()
    from resemblyzer.audio import normalize_volume, wav_to_mel_spectrogram

    wav = normalize_volume(np.asarray(audio, dtype=np.float32), TARGET_DBFS, increase_only=True)
    return wav_to_mel_spectrogram(wav)


def embed_windows(
    audio: np.ndarray, windows: list[tuple[float, float]], batch_size: int = 64
) -> np.ndarray:
    """One L2-normed embedding per (start, end) window in seconds of 16 kHz mono audio."""
    if not windows:
        return np.zeros((0, EMBEDDING_SIZE), dtype=np.float32)
    import torch

    mel = mel_frames(audio)
    per_second = SAMPLE_RATE / MEL_HOP
    spans = []
    for start, end in windows:  # equal durations give equal frame counts, so they batch together
        first = min(int(round(start * per_second)), len(mel) - 1)
        spans.append((first, min(len(mel), first + max(1, int(round((end - start) * per_second))))))
    encoder = load_voice_encoder()
    out = np.zeros((len(spans), EMBEDDING_SIZE), dtype=np.float32)
    saved = torch.get_num_threads()
    torch.set_num_threads(ENCODER_THREADS)
    try:
        _run(encoder, mel, spans, out, batch_size)
    finally:
        torch.set_num_threads(saved)
    return out


def _run(
    encoder: Any, mel: np.ndarray, spans: list[tuple[int, int]], out: np.ndarray, batch_size: int
) -> None:
    """Forward equal-length windows in batches, writing embeddings into ``out``."""
    import torch

    by_length: dict[int, list[int]] = {}
    for k, (s, e) in enumerate(spans):
        by_length.setdefault(e - s, []).append(k)
    with torch.inference_mode():
        for length, index in by_length.items():  # equal lengths batch without padding
            for k in range(0, len(index), batch_size):
                part = index[k : k + batch_size]
                batch = np.stack([mel[spans[i][0] : spans[i][0] + length] for i in part])
                out[part] = encoder(torch.from_numpy(batch)).numpy()


def speech_regions(
    audio: np.ndarray, *, threshold: float = VAD_THRESHOLD, min_silence_ms: int = 300, pad_ms: int = 100
) -> list[tuple[float, float]]:
    """Speech regions (start, end) in seconds of 16 kHz mono audio, by Silero VAD."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        threshold=threshold, min_silence_duration_ms=min_silence_ms, speech_pad_ms=pad_ms,
        min_speech_duration_ms=200,
    )
    stamps = get_speech_timestamps(np.asarray(audio, dtype=np.float32), options, SAMPLE_RATE)
    return [(c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE) for c in stamps]


VAD_FRAME = 512
"""Samples per Silero VAD frame (32 ms at 16 kHz)."""


def speech_probabilities(audio: np.ndarray) -> np.ndarray:
    """Silero's speech probability per ``VAD_FRAME`` samples of 16 kHz mono audio (last frame padded)."""
    from faster_whisper.vad import get_vad_model

    audio = np.asarray(audio, dtype=np.float32)
    if len(audio) == 0:
        return np.zeros(0, dtype=np.float32)
    padded = np.pad(audio, (0, -len(audio) % VAD_FRAME))
    return np.asarray(get_vad_model()(padded), dtype=np.float32).reshape(-1)
