"""Loading and running the ML models; one cached instance per process, heavy imports lazy."""
from models.whisper import (
    DEFAULT_WHISPER,
    load_whisper,
    prepare_base,
    resolve_compute_type,
    resolve_device,
    resolve_model,
)

__all__ = [
    "DEFAULT_WHISPER",
    "load_whisper",
    "prepare_base",
    "resolve_compute_type",
    "resolve_device",
    "resolve_model",
]
