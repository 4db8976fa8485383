"""CLI: ``diarize`` — who spoke when in a recording, as RTTM and a list of turns."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from worker.console import console, escape, fail

CountOpt = Annotated[int | None, typer.Option(min=1, help="Speaker count bound.")]


def diarize(
    recording: Annotated[Path, typer.Argument(help="Recording: wav, flac, mp3, m4a, ogg/opus, webm, mp4.")],
    speakers: Annotated[int | None, typer.Option("--speakers", min=1, help="Exact speaker count.")] = None,
    min_speakers: CountOpt = None,
    max_speakers: CountOpt = None,
    rttm: Annotated[Path | None, typer.Option("--rttm", help="Write the turns here as RTTM.")] = None,
) -> None:
    """Find who spoke when (voice clustering); print the turns, optionally write RTTM."""
    from pipelines.diarize import diarize as run
    from pipelines.errors import PipelineError
    from pipelines.rttm import to_rttm
    from pipelines.windows import file_windows

    if min_speakers and max_speakers and min_speakers > max_speakers:
        fail(f"--min-speakers {min_speakers} is above --max-speakers {max_speakers}; swap them")
    try:
        with console.status("finding speakers"):  # the recording is decoded window by window
            turns, _, _ = run(file_windows(recording), num_speakers=speakers, min_speakers=min_speakers,
                              max_speakers=max_speakers)
    except PipelineError as exc:
        fail(str(exc))
    for t in turns:
        typer.echo(f"{t.start:9.2f} {t.end:9.2f}  speaker {int(t.speaker) + 1}")
    speech = sum(t.duration for t in turns)
    console.print(f"{len({t.speaker for t in turns})} speakers, {len(turns)} turns, {speech:.1f} s of speech")
    if rttm is not None:
        labelled = [t.model_copy(update={"speaker": f"speaker{int(t.speaker) + 1}"}) for t in turns]
        rttm.write_text(to_rttm(labelled, recording.stem), encoding="utf-8")
        console.print(f"wrote {escape(str(rttm))}")


def register(app: typer.Typer) -> None:
    app.command("diarize")(diarize)
