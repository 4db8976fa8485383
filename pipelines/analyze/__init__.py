"""The analysis stage: goal shifts, stakeholder changes, risks, value quotes, advocacy, expansion, next steps.

``analyze(transcript, account, meeting_id) -> Analysis``; turn index = segment index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.account import Account
    from pipelines.highlight import Analysis
    from pipelines.transcript import Transcript

__all__ = ["analyze"]


def analyze(transcript: Transcript, account: Account | None, meeting_id: str) -> Analysis:
    """Analyze one meeting with the shipped heads (see ``pipelines.analyze.engine``)."""
    from pipelines.analyze.engine import analyze as _analyze

    return _analyze(transcript, account, meeting_id)
