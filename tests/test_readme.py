"""The README stays true: its settings table is the Settings object's, and it names every command."""
from __future__ import annotations

import re
from pathlib import Path

import typer

from worker.cli import app
from worker.settings import settings_table

README = (Path(__file__).parents[1] / "README.md").read_text()


def test_settings_table_is_generated_from_settings() -> None:
    block = re.search(r"<!-- settings table.*?-->\n(.*?)\n<!-- end settings table -->", README, re.S)
    assert block, "README lost its settings table markers"
    assert block.group(1).strip() == settings_table(), "regenerate it with `python -m worker.settings`"


def test_every_command_is_in_the_readme() -> None:
    group = typer.main.get_group(app)
    for name in group.commands:
        assert f"`{name}" in README, f"README's CLI table does not mention `{name}`"


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text()
    assert "make test" in README and "make test" in ci
