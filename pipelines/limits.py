"""Bounds on every input, so no file can make a stage run for hours or fill the memory.

The worker builds :class:`Limits` from its settings (``AW_MAX_*``); a pipeline called without
limits uses the same defaults. Crossing a limit is a :class:`BadInputError` that names the file,
the limit, and the setting that raises it.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from pipelines.errors import BadInputError

TURN_CHARS = 4000
"""Longest turn made by joining one speaker's consecutive cues (about 4 minutes of speech): a longer
run starts a new turn, so a file of one voice never becomes one huge turn (whose parse grows faster
than its length)."""
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


class Limits(BaseModel):
    """What an imported transcript or account may hold."""

    max_cues: int = Field(default=20_000, ge=1, description="cues, lines or utterances of a transcript")
    max_chars: int = Field(default=2_000_000, ge=1, description="characters of a transcript's text")
    max_duration_s: float = Field(default=4 * 3600, gt=0, description="a transcript's last time")
    max_account_items: int = Field(default=2_000, ge=1,
                                   description="goals + stakeholders + vendor team of an account")
    max_json_depth: int = Field(default=32, ge=2, description="nesting of a JSON input")

    @property
    def max_file_bytes(self) -> int:
        """Largest transcript or account file read at all (markup included: 8 bytes a character)."""
        return 8 * self.max_chars + 65536


def too_many(what: str, count: float, limit: float, setting: str, where: str | Path) -> BadInputError:
    """The error for a crossed limit, naming the input, the limit and its setting."""
    return BadInputError(f"{where}: {what} {count:,} is over the limit of {limit:,} (setting "
                         f"{setting}); split the input or raise the limit")


def check_file_size(path: Path, limits: Limits, what: str = "file") -> None:
    """Refuse a text file too large to be a transcript or account, before reading it."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise BadInputError(f"{path}: cannot read the {what} ({e.strerror}); check the path") from None
    if size > limits.max_file_bytes:
        raise too_many("file size (bytes)", size, limits.max_file_bytes, "AW_MAX_TRANSCRIPT_CHARS", path)


def load_json(text: str, where: str | Path, limits: Limits) -> Any:
    """JSON text parsed, refusing input nested deeper than ``max_json_depth``."""
    depth = json_depth(text)
    if depth > limits.max_json_depth:
        raise too_many("JSON nesting depth", depth, limits.max_json_depth, "AW_MAX_JSON_DEPTH", where)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInputError(f"{where}, line {e.lineno}: invalid JSON ({e.msg})") from None
    except RecursionError:  # unreachable after the depth check; the last line of defence
        raise too_many("JSON nesting depth", depth, limits.max_json_depth, "AW_MAX_JSON_DEPTH",
                       where) from None


def json_depth(text: str) -> int:
    """Deepest nesting of ``[``/``{`` in JSON text, strings skipped (linear, no recursion)."""
    depth = deepest = 0
    for m in _BRACKET.finditer(_STRING.sub('""', text)):
        if m.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest
