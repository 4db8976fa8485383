"""The transcription stage: a recording in, a ``Transcript`` with word timestamps out.

faster-whisper runs with VAD and the known guards against hallucination on long or silent
audio; what still loops (the same words over and over) is collapsed afterwards.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from pipelines.audio import SAMPLE_RATE, decode_audio
from pipelines.errors import PipelineError
from pipelines.repetition import collapse_repeated_segments, collapse_word_loops
from pipelines.transcript import Segment, Transcript, Word

Progress = Callable[[float], None]


class TranscribeOptions(BaseModel):
    """Everything that decides how a recording is transcribed (the worker fills it from Settings)."""

    model: str = Field(default="tiny.en", description="tiny.en, base, a faster-whisper name or a folder")
    device: str = "auto"
    compute_type: str = "auto"
    cpu_threads: int = 0
    language: str | None = None
    batch_size: int = Field(
        default=1,
        description="> 1: BatchedInferencePipeline (faster, but drops words on meeting audio: "
        "bench/transcribe.py); 0 or 1: sequential",
    )
    vad_min_silence_ms: int = 500
    word_timestamps: bool = True
    beam_size: int = 5
    model_cache_dir: Path | None = Field(default=None, description="where the base model is joined")
    max_bytes: int | None = None
    max_duration_s: float | None = None
    hallucination_silence_threshold: float | None = 2.0
    compression_ratio_threshold: float | None = 2.4
    log_prob_threshold: float | None = -1.0
    no_speech_threshold: float | None = 0.6
    max_loop_repeats: int = Field(default=4, description="more consecutive repeats than this is a loop")


def transcribe(path: str | Path, options: TranscribeOptions, progress: Progress | None = None) -> Transcript:
    """Transcribe one recording; silent or zero-length audio gives an empty transcript."""
    # The decoded audio lives in a one-item list so that its only reference can be handed to
    # faster-whisper, which swaps it for the speech parts (VAD): a long recording is not kept twice.
    box = [decode_audio(path, max_bytes=options.max_bytes, max_duration_s=options.max_duration_s)]
    duration = box[0].shape[0] / SAMPLE_RATE
    report = progress or (lambda _fraction: None)
    report(0.0)
    transcript = Transcript(source="asr", language=options.language, duration=duration, model=options.model)
    if duration == 0.0 or not np.any(box[0]):
        report(1.0)
        return transcript
    segments, info = run_whisper(load_model(options), box, options)
    transcript.language = info.language
    transcript.segments = collect_segments(segments, duration, options.max_loop_repeats, report)
    report(1.0)
    return transcript


def load_model(options: TranscribeOptions) -> Any:
    """The cached WhisperModel for these options; a model that cannot load is a PipelineError."""
    from models.whisper import load_whisper

    try:
        return load_whisper(
            options.model,
            options.device,
            options.compute_type,
            options.cpu_threads,
            cache_dir=options.model_cache_dir,
        )
    except (OSError, ValueError, RuntimeError) as exc:
        raise PipelineError(
            f"cannot load the Whisper model '{options.model}' ({exc}); use tiny.en or base (offline), "
            "a faster-whisper model name with network access, or a CTranslate2 model folder"
        ) from None


def whisper_kwargs(options: TranscribeOptions) -> dict[str, Any]:
    """The decoding options shared by the sequential and the batched path."""
    return {
        "language": options.language,
        "beam_size": options.beam_size,
        "word_timestamps": options.word_timestamps,
        "vad_filter": True,
        "vad_parameters": {"min_silence_duration_ms": options.vad_min_silence_ms},
        "condition_on_previous_text": False,
        "compression_ratio_threshold": options.compression_ratio_threshold,
        "log_prob_threshold": options.log_prob_threshold,
        "no_speech_threshold": options.no_speech_threshold,
    }


def run_whisper(model: Any, box: list[np.ndarray], options: TranscribeOptions) -> tuple[Iterable[Any], Any]:
    """faster-whisper's lazy segment iterator and info, batched when ``batch_size`` > 1.

    ``box`` holds the audio and is emptied: faster-whisper gets the only reference to it.
    """
    kwargs = whisper_kwargs(options)
    if options.batch_size > 1:
        from faster_whisper import BatchedInferencePipeline

        return BatchedInferencePipeline(model).transcribe(box.pop(), batch_size=options.batch_size, **kwargs)
    return model.transcribe(
        box.pop(), hallucination_silence_threshold=options.hallucination_silence_threshold, **kwargs
    )


def collect_segments(
    raw: Iterable[Any], duration: float, max_repeats: int, report: Progress
) -> list[Segment]:
    """Convert faster-whisper segments (reporting progress by position), then drop loops."""
    segments: list[Segment] = []
    for seg in raw:
        converted = to_segment(seg, duration, max_repeats)
        if converted is not None:
            converted.id = len(segments)
            segments.append(converted)
        report(min(seg.end / duration, 1.0) if duration else 1.0)
    kept = collapse_repeated_segments(segments, max_repeats)
    for i, seg in enumerate(kept):
        seg.id = i
    return kept


def to_segment(seg: Any, duration: float, max_repeats: int) -> Segment | None:
    """One faster-whisper segment as ours: times clamped into the audio, word loops collapsed."""
    words = _words(seg.words or [], duration)
    kept = collapse_word_loops([w.text for w in words], max_repeats) if words else None
    if kept is not None:
        words = [words[i] for i in kept]
        text = "".join(w.text for w in words).strip()
    else:
        tokens = seg.text.split()
        text = " ".join(tokens[i] for i in collapse_word_loops(tokens, max_repeats))
    if not text:
        return None
    start = _clamp(words[0].start if words else seg.start, duration)
    end = max(start, _clamp(words[-1].end if words else seg.end, duration))
    probs = [w.probability for w in words if w.probability is not None]
    return Segment(
        id=0,
        start=start,
        end=end,
        text=text,
        confidence=round(float(np.mean(probs)), 4) if probs else None,
        words=[Word(start=w.start, end=w.end, text=w.text.strip(), probability=w.probability) for w in words],
    )


def _words(raw: list[Any], duration: float) -> list[Word]:
    """Words with times inside the audio and starts that never go backwards."""
    words: list[Word] = []
    floor = 0.0
    for w in raw:
        start = max(_clamp(w.start, duration), floor)
        end = max(_clamp(w.end, duration), start)
        words.append(Word(start=round(start, 3), end=round(end, 3), text=w.word, probability=w.probability))
        floor = start
    return words


def _clamp(t: float, duration: float) -> float:
    return round(min(max(float(t), 0.0), duration), 3)
