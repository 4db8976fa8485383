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
COMMAND_MODULES = ("transcribe", "analyze", "service", "account", "speakers", "storage", "serve", "token",
                   "followthrough")
for _name in COMMAND_MODULES:
    importlib.import_module(f"worker.commands.{_name}").register(app)


def main() -> None:
    from worker.settings import SettingsError

    try:
        app()
    except SettingsError as e:  # a bad AW_* variable: say which and why, no traceback
        from worker.console import fail

        try:
            fail(f"{e}\nfix the environment variable (or .env) and run again", code=2)
        except typer.Exit as done:
            raise SystemExit(done.exit_code) from None


if __name__ == "__main__":
    main()
