"""The Five Questions worksheet: answers with provenance, proposed by each meeting, carried across them.

A question's *key* says which part of the record answers it: ``why_bought`` (the goals the account
came with), ``success`` (the live goals), ``changed`` (goal shifts and stakeholder changes),
``obstacles`` (open risks) and ``next`` (next steps and expansion). A question under another key is
answered by hand only.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from pipelines.account_state import AccountState, Provenance
from pipelines.update import GOAL_KINDS, STAKEHOLDER_KINDS, AccountUpdate

DEFAULT_QUESTIONS: dict[str, str] = {
    "why_bought": "Why did they buy?",
    "success": "What does success mean to them now?",
    "changed": "What has changed since we last met?",
    "obstacles": "What stands in the way?",
    "next": "What comes next?",
}
ReviewStatus = Literal["pending", "accepted", "edited", "rejected"]


class Proposal(BaseModel):
    """A meeting's proposed answer to one question, with the record items it is drawn from."""

    id: str
    account_id: str
    meeting_id: str | None = Field(
        default=None, description="None: the kickoff answer from the imported record"
    )
    question_key: str
    answer: str
    sources: list[Provenance] = Field(default_factory=list)
    status: ReviewStatus = "pending"
    edited_answer: str | None = None
    held_on: date | None = None

    @property
    def text(self) -> str:
        return self.edited_answer if self.status == "edited" and self.edited_answer else self.answer


def _goals(state: AccountState) -> str:
    return "; ".join(
        f"{g.text}" + (f" ({g.status})" if g.status else "")
        for g in sorted(state.goals, key=lambda g: g.priority or 99)
        if g.status != "dropped"
    )


def _id(account_id: str, meeting_id: str | None, key: str) -> str:
    return "w_" + hashlib.sha1(f"{account_id}|{meeting_id}|{key}".encode()).hexdigest()[:12]


def kickoff(initial: AccountState, questions: dict[str, str]) -> list[Proposal]:
    """The answers the imported record gives (accepted: they are the record as it came)."""
    text = {"why_bought": _goals(initial), "success": _goals(initial)}
    return [
        Proposal(
            id=_id(initial.account_id, None, k),
            account_id=initial.account_id,
            question_key=k,
            answer=text[k],
            status="accepted",
        )
        for k in questions
        if text.get(k)
    ]


def propose(after: AccountState, update: AccountUpdate, questions: dict[str, str]) -> list[Proposal]:
    """Updated answers a processed meeting proposes (pending review), one per question it speaks to."""
    meeting_id = update.meeting_id or ""
    by_key: dict[str, list[tuple[str, Provenance]]] = {k: [] for k in questions}
    shifts = update.of_kind(*GOAL_KINDS)
    people = update.of_kind(*STAKEHOLDER_KINDS)
    seen: set[str] = set()
    for c in shifts + people:
        if c.summary not in seen:
            seen.add(c.summary)
            by_key.setdefault("changed", []).append((c.summary, c.source))
    if shifts:  # success is the set of live goals after the shift
        by_key["success"] = [(_goals(after), shifts[0].source)]
    for c in update.of_kind("risk_opened"):
        risk = c.after or {}
        by_key.setdefault("obstacles", []).append(
            (f"{risk.get('summary')} ({risk.get('severity')})", c.source)
        )
    for c in update.of_kind("next_step", "expansion_signal"):
        by_key.setdefault("next", []).append((c.summary.split(": ", 1)[-1], c.source))
    out = []
    for key in questions:
        items = by_key.get(key) or []
        if not items:
            continue
        out.append(
            Proposal(
                id=_id(after.account_id, meeting_id, key),
                account_id=after.account_id,
                meeting_id=meeting_id,
                question_key=key,
                answer="; ".join(text for text, _ in items),
                sources=[p for _, p in items],
            )
        )
    return out


class AnswerTrail(BaseModel):
    """One question: its answer at kickoff, its answer now, and every accepted move in between."""

    key: str
    question: str
    kickoff: str | None = None
    current: str | None = None
    moves: list[Proposal] = Field(default_factory=list)
    pending: list[Proposal] = Field(default_factory=list)


def trails(questions: dict[str, str], start: list[Proposal], proposals: list[Proposal]) -> list[AnswerTrail]:
    """Per question, how the answer moved since kickoff (accepted or edited proposals, in order)."""
    out = []
    for key, question in questions.items():
        first = next((p.text for p in start if p.question_key == key), None)
        mine = [p for p in proposals if p.question_key == key]
        moves = [p for p in mine if p.status in ("accepted", "edited")]
        out.append(
            AnswerTrail(
                key=key,
                question=question,
                kickoff=first,
                current=moves[-1].text if moves else first,
                moves=moves,
                pending=[p for p in mine if p.status == "pending"],
            )
        )
    return out
