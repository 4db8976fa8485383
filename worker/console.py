"""Shared CLI helpers: one console, one way to fail with a readable message, one progress bar."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

console = Console(stderr=True)

__all__ = ["console", "escape", "fail", "progress_bar"]


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an error a user can act on (no traceback) and exit; ``message`` is shown as written
    (names and file contents in it are never read as Rich markup)."""
    console.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[str, float], None]]:
    """Yield ``update(stage, fraction)``; draws a bar on stderr (quiet when not a terminal)."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task(description, total=100)

        def update(stage: str, fraction: float) -> None:
            progress.update(task, description=stage, completed=max(0.0, min(1.0, fraction)) * 100)

        yield update
