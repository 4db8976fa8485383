"""The review policy: per highlight category, does a meeting's change go into the record at once
(reversible by rejecting it) or wait as a proposal until a CSM accepts it?

Modes: ``apply`` (at once), ``wait`` (always a proposal), ``confidence`` (a proposal when the
highlight's confidence is below the category's ``min_confidence``). Advocacy signals only move
the flag and always apply.

Shipped default: ``apply`` everywhere, so the brief, the API and the CRM sync keep seeing every
change at once; :data:`RECOMMENDED` (every stakeholder change waits, the rest below
``AW_REVIEW_MIN_CONFIDENCE``) is one click on /admin/policy or ``AW_REVIEW_POLICY=recommended``.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pipelines.highlight import CATEGORIES, Analysis, Highlight
from pipelines.update import AccountUpdate
from worker.db import repo
from worker.db.models import HighlightRow, ReviewPolicyRow, RevisionRow

MODES = ("apply", "wait", "confidence")
RECOMMENDED = {c: "wait" if c == "stakeholder_change" else "confidence" for c in CATEGORIES}
"""The issue's policy: stakeholder changes wait, others wait below the confidence threshold."""
ALWAYS_APPLIED = frozenset({"advocacy_signal"})


@dataclass(frozen=True)
class Policy:
    category: str
    mode: str
    min_confidence: float

    def waits(self, h: Highlight) -> bool:
        return self.mode == "wait" or (self.mode == "confidence" and h.confidence < self.min_confidence)


def policies(s: Session, default_min: float, recommended: bool = False) -> dict[str, Policy]:
    """The policy of every reviewable category (stored, else the default: ``apply``, or
    :data:`RECOMMENDED` when ``recommended``)."""
    stored = {r.category: r for r in s.scalars(select(ReviewPolicyRow))}
    out = {}
    for c in CATEGORIES:
        if c in ALWAYS_APPLIED:
            continue
        row = stored.get(c)
        out[c] = (Policy(c, row.mode, row.min_confidence) if row
                  else Policy(c, RECOMMENDED[c] if recommended else "apply", default_min))
    return out


def set_policy(s: Session, category: str, mode: str, min_confidence: float) -> None:
    if category not in CATEGORIES or category in ALWAYS_APPLIED:
        raise ValueError(f"category {category!r} has no review policy")
    if mode not in MODES:
        raise ValueError(f"mode {mode!r}: use one of {', '.join(MODES)}")
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError("the confidence threshold is between 0 and 1")
    row = s.get(ReviewPolicyRow, category)
    if row is None:
        s.add(ReviewPolicyRow(category=category, mode=mode, min_confidence=min_confidence))
    else:
        row.mode, row.min_confidence = mode, min_confidence
    s.flush()


def apply_with_policy(s: Session, account_id: str, analysis: Analysis, default_min: float,
                      recommended: bool = False) -> tuple[RevisionRow | None, AccountUpdate]:
    """Apply a meeting's highlights that the policy lets through (one revision, once) and store all
    of them; the others are stored as proposals (``applied`` False) waiting for a CSM."""
    rules = policies(s, default_min, recommended)
    waiting = {h.id for h in analysis.highlights if h.category in rules and rules[h.category].waits(h)}
    through = analysis.model_copy(update={"highlights": [h for h in analysis.highlights
                                                         if h.id not in waiting]})
    rev, diff = repo.apply_meeting(s, account_id, through)
    if repo.save_highlights(s, analysis.meeting_id, analysis) and waiting:
        s.execute(update(HighlightRow).where(HighlightRow.meeting_id == analysis.meeting_id,
                                             HighlightRow.highlight_id.in_(waiting)).values(applied=False))
    return rev, diff
