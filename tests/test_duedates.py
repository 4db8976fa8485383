"""Due phrases read relative to the meeting date (a Tuesday); unreadable ones give no date."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.duedates import parse_due

HELD = date(2026, 11, 10)  # a Tuesday


@pytest.mark.parametrize(
    ("spoken", "expected"),
    [
        ("by Friday", date(2026, 11, 13)),
        ("on Monday", date(2026, 11, 16)),
        ("by next Friday", date(2026, 11, 20)),
        ("next Monday", date(2026, 11, 16)),
        ("today", HELD),
        ("tomorrow", date(2026, 11, 11)),
        ("by end of the week", date(2026, 11, 13)),
        ("next week", date(2026, 11, 20)),
        ("by end of next week", date(2026, 11, 20)),
        ("end of the month", date(2026, 11, 30)),
        ("next month", date(2026, 12, 31)),
        ("in two weeks", date(2026, 11, 24)),
        ("within 10 days", date(2026, 11, 20)),
        ("in a couple of weeks", date(2026, 11, 24)),
        ("in three months", date(2027, 2, 10)),
        ("by December first", date(2026, 12, 1)),
        ("by the 15th of January", date(2027, 1, 15)),
        ("before March", date(2027, 3, 31)),
        ("by end of the quarter", date(2026, 12, 31)),
        ("in Q1", date(2027, 3, 31)),
        ("2027-01-05", date(2027, 1, 5)),
        ("end of year", date(2026, 12, 31)),
    ],
)
def test_due_phrases_become_dates(spoken, expected):
    assert parse_due(spoken, HELD) == expected


@pytest.mark.parametrize(
    "spoken", [None, "", "soon", "in the next couple", "when we can", "2026-02-31", "they may want it"]
)
def test_unreadable_phrases_give_no_date(spoken):
    assert parse_due(spoken, HELD) is None
