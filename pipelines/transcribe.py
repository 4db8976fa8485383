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

from pipelines.errors import PipelineError
from pipelines.repetition import collapse_repeated_segments, collapse_word_loops
from pipelines.transcript import Segment, Transcript, Word
from pipelines.windows import WINDOW_S, AudioWindow, file_windows

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
    window_s: float = Field(default=WINDOW_S, gt=0, description="longest stretch transcribed at once")


def transcribe(path: str | Path, options: TranscribeOptions, progress: Progress | None = None) -> Transcript:
    """Transcribe one recording window by window; silent or zero-length audio gives an empty transcript.

    Windows (``pipelines.windows``) are cut in pauses and decoded as they are needed, so memory
    stays flat in the recording's length; the language is detected once, in the first window
    with speech, and kept for the rest.
    """
    from pipelines.audio import probe_audio

    announced = probe_audio(path, max_bytes=options.max_bytes, max_duration_s=options.max_duration_s).duration
    report = _Position(progress, announced)
    language, duration = options.language, 0.0
    found: list[Segment] = []
    model: Any = None
    windows = file_windows(path, window_s=options.window_s, max_bytes=options.max_bytes,
                           max_duration_s=options.max_duration_s)
    for window in windows:
        duration = window.end
        if not np.any(window.audio):  # digital silence: nothing to hear, no model to load
            continue
        model = model or load_model(options)
        raw, info = run_whisper(model, window.audio, options.model_copy(update={"language": language}))
        segments = collect_segments(raw, window, options.max_loop_repeats, report.at)
        if segments and language is None:
            language = info.language
        found += segments
    report.done()
    return Transcript(
        source="asr", language=language, duration=round(duration, 3), model=options.model,
        segments=renumbered(collapse_repeated_segments(found, options.max_loop_repeats)),
    )


class _Position:
    """Progress as the share of the announced duration reached, never going backwards."""

    def __init__(self, progress: Progress | None, duration: float | None) -> None:
        self._progress = progress or (lambda _fraction: None)
        self._duration = duration or 0.0
        self._last = 0.0
        self._progress(0.0)

    def at(self, seconds: float) -> None:
        """Recognition has reached ``seconds`` into the recording."""
        if self._duration > 0:
            self._last = max(self._last, min(seconds / self._duration, 1.0))
            self._progress(self._last)

    def done(self) -> None:
        self._progress(1.0)


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


def run_whisper(model: Any, audio: np.ndarray, options: TranscribeOptions) -> tuple[Iterable[Any], Any]:
    """faster-whisper's lazy segment iterator and info for one window, batched when ``batch_size`` > 1."""
    kwargs = whisper_kwargs(options)
    if options.batch_size > 1:
        from faster_whisper import BatchedInferencePipeline

        return BatchedInferencePipeline(model).transcribe(audio, batch_size=options.batch_size, **kwargs)
    return model.transcribe(
        audio, hallucination_silence_threshold=options.hallucination_silence_threshold, **kwargs
    )


def collect_segments(
    raw: Iterable[Any], window: AudioWindow, max_repeats: int, report: Callable[[float], None]
) -> list[Segment]:
    """Convert one window's faster-whisper segments into recording time, reporting the position."""
    segments: list[Segment] = []
    for seg in raw:
        converted = to_segment(seg, window, max_repeats)
        if converted is not None:
            segments.append(converted)
        report(window.start + min(seg.end, window.duration))
    return segments


def renumbered(segments: list[Segment]) -> list[Segment]:
    for i, seg in enumerate(segments):
        seg.id = i
    return segments


def to_segment(seg: Any, window: AudioWindow, max_repeats: int) -> Segment | None:
    """One faster-whisper segment as ours: times clamped into its window and offset to the
    recording, word loops collapsed."""
    words = _words(seg.words or [], window)
    kept = collapse_word_loops([w.text for w in words], max_repeats) if words else None
    if kept is not None:
        words = [words[i] for i in kept]
        text = "".join(w.text for w in words).strip()
    else:
        tokens = seg.text.split()
        text = " ".join(tokens[i] for i in collapse_word_loops(tokens, max_repeats))
    if not text:
        return None
    start = words[0].start if words else _at(seg.start, window)
    end = max(start, words[-1].end if words else _at(seg.end, window))
    probs = [w.probability for w in words if w.probability is not None]
    return Segment(
        id=0,
        start=start,
        end=end,
        text=text,
        confidence=round(float(np.mean(probs)), 4) if probs else None,
        words=[Word(start=w.start, end=w.end, text=w.text.strip(), probability=w.probability) for w in words],
    )


def _words(raw: list[Any], window: AudioWindow) -> list[Word]:
    """Words with times inside the window (in recording time) and starts that never go backwards."""
    words: list[Word] = []
    floor = window.start
    for w in raw:
        start = max(_at(w.start, window), floor)
        end = max(_at(w.end, window), start)
        words.append(Word(start=start, end=end, text=w.word, probability=w.probability))
        floor = start
    return words


def _at(t: float, window: AudioWindow) -> float:
    """A time inside ``window`` (seconds from its start, clamped into it) in recording seconds."""
    return round(window.start + min(max(float(t), 0.0), window.duration), 3)
