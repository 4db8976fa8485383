"""The brief sized by segment, and what a brief says from the imported record alone (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.account import Account, Goal, Stakeholder
from pipelines.account_state import AccountState
from pipelines.brief import BriefInput, build
from pipelines.brief_layout import to_document
from pipelines.document_render import to_markdown
from pipelines.worksheet import DEFAULT_QUESTIONS


def _brief(segment: str | None):
    state = AccountState.from_account(
        Account(
            account_id="a1",
            name="Kiln",
            segment=segment,
            renewal_date="2026-08-01",
            goals=[Goal(id="g1", text="Halve glaze defects", status="at_risk")],
            stakeholders=[Stakeholder(name="Ines Moreau", role="champion")],
        )
    )
    return build(BriefInput(state=state, questions=DEFAULT_QUESTIONS, today=date(2026, 6, 1)))


@pytest.mark.parametrize(
    ("segment", "first"),
    [
        ("high_touch", "1. Purpose"),
        ("mid_touch", "Goals and status"),
        ("low_touch", "Checklist"),
        (None, "Goals and status"),
    ],
)
def test_each_segment_gets_its_layout(segment, first):
    assert to_document(_brief(segment)).sections[0].title == first


def test_a_brief_from_the_imported_record_asks_about_its_gaps():
    b = _brief("mid_touch")
    kinds = [d.kind for d in b.discussion]
    assert kinds == ["no executive sponsor", "goal without progress", "goal at risk"]
    assert b.days_to_renewal == 61 and any("no processed meeting" in m for m in b.missing)
    md = to_markdown(to_document(b))
    assert "No meeting has been processed" in md and "Why did they buy? — Halve glaze defects (at_risk)" in md
    assert any("no segment" in m for m in _brief(None).missing)
