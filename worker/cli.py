"""The ``alignment-worker`` console script: one Typer app, commands grouped by concern."""
from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="alignment-worker",
    help="Turn recorded customer Alignment Meetings into reviewable updates of the account record.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module registers its commands on ``app`` when imported (see worker/commands/).
COMMAND_MODULES = ("transcribe", "analyze", "service", "speakers")
for _name in COMMAND_MODULES:
    importlib.import_module(f"worker.commands.{_name}").register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
