"""Speech-recognition options built from the settings (shared by the CLI and the jobs)."""
from __future__ import annotations

from pathlib import Path

from pipelines.transcribe import TranscribeOptions
from worker.settings import Settings


def base_model_dir(settings: Settings) -> Path:
    """Where the Whisper base parts are joined: <data dir>/models/whisper-base."""
    return settings.data_dir / "models" / "whisper-base"


def transcribe_options(
    settings: Settings, *, model: str | None = None, language: str | None = None
) -> TranscribeOptions:
    """TranscribeOptions from the settings, with per-call overrides of model and language."""
    return TranscribeOptions(
        model=model or settings.whisper_model,
        device=settings.device,
        compute_type=settings.compute_type,
        cpu_threads=settings.cpu_threads,
        language=language or settings.language,
        batch_size=settings.asr_batch_size,
        vad_min_silence_ms=settings.vad_min_silence_ms,
        model_cache_dir=base_model_dir(settings),
        max_bytes=settings.max_upload_mb * 2**20,
        max_duration_s=settings.max_duration_s,
    )
