"""Field types the models share, so every input is checked once, at the model boundary, and
the same for SQLite and PostgreSQL (whose columns have lengths and refuse NUL characters)."""
from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

MAX_ID_CHARS = 200
"""Longest account id (the accounts table's key column)."""
MAX_NAME_CHARS = 200
"""Longest person name (speaker, stakeholder); longer names are cut (the highlights' column)."""
MAX_TITLE_CHARS = 500
"""Longest account name (the accounts table's name column)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Text without control characters (PostgreSQL refuses NUL in text and JSON)."""
    return _CONTROL.sub("", value)


def clean_name(value: str) -> str:
    """A person's name on one line, without control characters, at most MAX_NAME_CHARS long."""
    name = " ".join(_CONTROL.sub("", value).split())
    return name if len(name) <= MAX_NAME_CHARS else name[: MAX_NAME_CHARS - 1].rstrip() + "…"


def name_was_cut(raw: str | None) -> bool:
    """Whether ``clean_name`` shortens this name (for a warning that names what was cut)."""
    return raw is not None and len(" ".join(_CONTROL.sub("", raw).split())) > MAX_NAME_CHARS


def check_id(value: str) -> str:
    """An account id as given, or a ValueError saying what an id may hold."""
    if not value.strip() or len(value) > MAX_ID_CHARS or _CONTROL.search(value) or "\n" in value:
        raise ValueError(f"an account id must be 1 to {MAX_ID_CHARS} characters on one line, without "
                         f"control characters (got {len(value)} characters: {value[:40]!r})")
    return value


AccountId = Annotated[str, AfterValidator(check_id)]
"""An account id: 1-200 characters, no control characters (rejected, never changed)."""
AccountName = Annotated[str, StringConstraints(max_length=MAX_TITLE_CHARS), AfterValidator(clean_text)]
PersonName = Annotated[str, AfterValidator(clean_name)]
"""A speaker's or stakeholder's name: control characters dropped, cut to MAX_NAME_CHARS."""
Text = Annotated[str, AfterValidator(clean_text)]
"""Free text (said, written): control characters dropped."""
