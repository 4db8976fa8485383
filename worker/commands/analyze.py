"""``alignment-worker analyze | eval | train``: the analysis stage from the command line."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from pipelines.account import Account
    from pipelines.transcript import Transcript

from worker.console import console, escape, fail, progress_bar


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
    app.command("eval")(evaluate)
    app.command("train")(train)


def _read_input(path: Path, account_path: Path | None) -> tuple[Transcript, Account | None, str]:
    """(transcript, account, meeting id) from a corpus meeting JSON or any transcript format."""
    from pipelines.account import read_account
    from pipelines.errors import BadInputError
    from pipelines.formats import read_meeting, read_transcript
    from worker.settings import get_settings

    limits = get_settings().limits
    try:
        try:
            transcript, account, meeting_id = read_meeting(path, limits)
        except BadInputError:
            transcript, account, meeting_id = read_transcript(path, limits=limits), None, path.stem
        if account_path is not None:
            account = read_account(account_path, limits)
    except BadInputError as exc:
        fail(str(exc))
    return transcript, account, meeting_id


def analyze(
    transcript: Annotated[
        Path, typer.Argument(help="Transcript: corpus meeting JSON, VTT, SRT, `Name: text`...")
    ],
    account: Annotated[
        Path | None, typer.Option("--account", help="Account JSON as it stood before the meeting.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Write the analysis JSON here (default: stdout).")
    ] = None,
) -> None:
    """Find goal shifts, stakeholder changes, risks, value quotes, advocacy, expansion and next steps."""
    from pipelines.analyze import analyze as run_analysis

    if not transcript.is_file():
        fail(f"{transcript}: no such file; give the path of a transcript or corpus meeting JSON")
    t, acct, meeting_id = _read_input(transcript, account)
    for warning in t.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    if acct is None:
        console.print("[yellow]no account given:[/] goal links and stakeholder matching need --account")
    result = run_analysis(t, acct, meeting_id)
    text = json.dumps(result.model_dump(mode="json"), indent=2)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        console.print(f"{len(result.highlights)} highlights -> {escape(str(out))}")
    else:
        typer.echo(text)


def evaluate(
    corpus: Annotated[
        Path, typer.Argument(help="Folder of labeled meeting JSON files (with account and gold).")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for one prediction JSON per meeting.")
    ] = None,
    cv: Annotated[
        bool,
        typer.Option(
            "--cv/--no-cv", help="Leave-one-meeting-out heads for meetings the shipped heads were trained on."
        ),
    ] = True,
    heads: Annotated[
        Path | None, typer.Option(help="Folder of trained heads (default: the shipped models/heads).")
    ] = None,
    cache: Annotated[
        Path | None, typer.Option(help="Feature cache folder (default: <out>/.features).")
    ] = None,
) -> None:
    """Analyze every meeting of a labeled corpus folder; print precision/recall/F1 per category."""
    from models.heads import HEADS_DIR, read_heads
    from pipelines.analyze import scoring
    from pipelines.analyze.evaluate import evaluate as run_eval
    from pipelines.errors import BadInputError

    if not corpus.is_dir():
        fail(f"{corpus}: not a folder; give a folder of corpus meeting JSON files")
    heads = heads or HEADS_DIR
    try:
        head_set = read_heads(heads)
    except OSError:
        fail(f"{heads}: no trained heads there; run `alignment-worker train CORPUS_DIR --out {heads}`")
    cache = cache or ((out / ".features") if out else None)
    try:
        with progress_bar("eval") as update:
            res = run_eval(corpus, head_set, cache, cv, _with_lines(update))
    except BadInputError as exc:
        fail(str(exc))
    if out:
        out.mkdir(parents=True, exist_ok=True)
        for mid, analysis in res.analyses.items():
            (out / f"{mid}.json").write_text(json.dumps(analysis.model_dump(mode="json"), indent=2) + "\n")
        (out / "score.json").write_text(json.dumps(res.result, indent=2) + "\n")
    if res.seen:
        how = "leave-one-meeting-out heads" if cv else "the shipped heads (NOT held out: --no-cv)"
        typer.echo(f"seen in training ({how}): {', '.join(res.seen)}")
    typer.echo(scoring.table(res.result))


def _with_lines(update: Callable[[str, float], None]) -> Callable[[str, float], None]:
    """The progress bar, plus one plain line per step when the output is not a terminal (CI logs,
    ``make eval`` piped), so a long leave-one-out run shows where it is."""
    started = time.monotonic()

    def report(step: str, fraction: float) -> None:
        update(step, fraction)
        if not console.is_terminal:
            console.print(f"[{fraction * 100:5.1f}%] {step} ({time.monotonic() - started:.0f} s)",
                          markup=False, highlight=False)

    return report


def train(
    corpus: Annotated[
        list[Path] | None,
        typer.Argument(help="Corpus folders to train on, besides models/training/meetings."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for the heads (default: the shipped models/heads).")
    ] = None,
    cache: Annotated[Path | None, typer.Option(help="Feature cache folder.")] = None,
) -> None:
    """Train the classifier heads (reproducible: fixed seeds, deterministic folds)."""
    from models.heads import HEADS_DIR, save_heads
    from pipelines.analyze.training import train as fit
    from pipelines.analyze.training_set import CORPUS_REPEATS, training_examples
    from pipelines.analyze.versions import versions
    from pipelines.errors import BadInputError

    for folder in corpus or []:
        if not folder.is_dir():
            fail(f"{folder}: not a folder; give folders of corpus meeting JSON files")
    try:
        examples = training_examples(list(corpus or []), cache)
    except BadInputError as exc:
        fail(str(exc))
    console.print(f"training on {len(examples)} meetings, {sum(len(e.feats.texts) for e in examples)} turns")
    if corpus_count := sum(e.repeats > 1 for e in examples):
        console.print(f"  the {corpus_count} corpus meetings count {CORPUS_REPEATS} times each")
    heads = fit(examples, versions())
    out = out or HEADS_DIR
    try:
        save_heads(heads, out)
    except OSError as exc:
        fail(f"{out}: cannot write the heads ({exc.strerror}); pass --out to a writable folder")
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    console.print(f"heads -> {out} ({size / 1024:.0f} KiB)")
    for cat, t in heads.meta["thresholds"].items():
        console.print(f"  {cat:<20} threshold {t['threshold']:.2f} gap {t['gap']} (CV F1 {t['f1']:.3f})")
