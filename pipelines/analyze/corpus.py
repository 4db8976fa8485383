"""Labeled meetings in the corpus format (SCHEMA.md): transcript, account and gold, for training and eval."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.account import Account
from pipelines.errors import BadInputError
from pipelines.formats import read_meeting
from pipelines.transcript import Transcript


@dataclass
class LabeledMeeting:
    """One corpus meeting: what the analysis sees (transcript, account) and what it should find (gold)."""

    meeting_id: str
    transcript: Transcript
    account: Account | None
    gold: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def load_labeled(path: Path) -> LabeledMeeting:
    """Read one corpus meeting with the product's own reader, plus its gold annotations."""
    transcript, account, meeting_id = read_meeting(path)
    gold = json.loads(Path(path).read_text(encoding="utf-8-sig")).get("gold") or {}
    return LabeledMeeting(meeting_id, transcript, account, gold, Path(path))


def load_folder(folder: Path) -> list[LabeledMeeting]:
    """Every ``*.json`` meeting of a corpus folder, sorted by file name."""
    files = sorted(Path(folder).glob("*.json"))
    if not files:
        raise BadInputError(f"{folder}: no meeting JSON files found; point at a corpus folder (SCHEMA.md)")
    return [load_labeled(p) for p in files]
