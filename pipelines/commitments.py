"""Commitments: the agreed next steps of a meeting, tracked on the account as open, done or missed."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Literal

from pydantic import BaseModel

from pipelines.account_state import AccountState, Provenance
from pipelines.duedates import parse_due
from pipelines.update import rejection_key

Status = Literal["open", "done", "missed"]
ORDER: dict[str, int] = {"missed": 0, "open": 1, "done": 2}


class Commitment(BaseModel):
    """One agreed action with its owner and due date (parsed relative to the meeting date)."""

    id: str
    account_id: str
    meeting_id: str
    highlight_id: str | None = None
    action: str
    owner: str | None = None
    due_text: str | None = None
    due_date: date | None = None
    status: Status = "open"
    done_on: date | None = None
    source: Provenance | None = None

    def status_on(self, today: date) -> Status:
        """``done``; ``missed`` when still open after its due date; else ``open``."""
        if self.status == "done":
            return "done"
        return "missed" if self.due_date is not None and self.due_date < today else "open"


def commitment_id(meeting_id: str, highlight_id: str | None, action: str) -> str:
    return "k_" + hashlib.sha1(f"{meeting_id}|{highlight_id}|{action}".encode()).hexdigest()[:12]


def from_meeting(state: AccountState, meeting_id: str, held_on: date) -> list[Commitment]:
    """The next steps the meeting put on the record, as open commitments."""
    out = []
    for step in state.next_steps:
        if step.source is None or step.source.meeting_id != meeting_id:
            continue
        out.append(
            Commitment(
                id=commitment_id(meeting_id, step.source.highlight_id, step.action),
                account_id=state.account_id,
                meeting_id=meeting_id,
                highlight_id=step.source.highlight_id,
                action=step.action,
                owner=step.owner,
                due_text=step.due,
                due_date=parse_due(step.due, held_on),
                source=step.source,
            )
        )
    return out


def live(commitments: list[Commitment], state: AccountState) -> list[Commitment]:
    """Commitments whose highlight was not rejected in review."""
    rejected = set(state.rejected_highlights)
    return [
        c
        for c in commitments
        if not c.highlight_id or rejection_key(c.meeting_id, c.highlight_id) not in rejected
    ]


def ordered(commitments: list[Commitment], today: date) -> list[Commitment]:
    """Missed first (oldest due first), then open by due date (undated last), then done."""
    return sorted(commitments, key=lambda c: (ORDER[c.status_on(today)], c.due_date or date.max, c.id))
