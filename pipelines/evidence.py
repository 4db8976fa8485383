"""Evidence as the brief, recap and portfolio cite it: a record item's provenance and the meeting's date."""

from __future__ import annotations

from datetime import date

from pipelines.account_state import Provenance


class Evidence(Provenance):
    """Where a claim comes from: meeting, highlight, quote, speaker, second, and the day it was said."""

    held_on: date | None = None


def cite(p: Provenance | None, dates: dict[str, date]) -> list[Evidence]:
    """The provenance as evidence (empty for an item that came with the imported record)."""
    if p is None:
        return []
    return [Evidence(**p.model_dump(), held_on=dates.get(p.meeting_id))]


def label(e: Evidence) -> str:
    """``meeting m_1 (2026-10-13), highlight h_2, at 41s``: the link a reader follows back."""
    parts = [f"meeting {e.meeting_id}" + (f" ({e.held_on.isoformat()})" if e.held_on else "")]
    if e.highlight_id:
        parts.append(f"highlight {e.highlight_id}")
    if e.start is not None:
        parts.append(f"at {e.start:.0f}s")
    elif e.turns:
        parts.append("turn " + ", ".join(str(t) for t in e.turns))
    return ", ".join(parts)
