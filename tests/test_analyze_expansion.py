"""Expansion signals: another department wants in; a vendor pitch the customer turns down is not one."""
from __future__ import annotations

import pytest
from analysis_meeting import found

from pipelines.analyze import expansion

pytestmark = pytest.mark.slow
EXPANSION, PITCH, DECLINE = 12, 13, 14


def test_another_department_wanting_the_product_is_expansion():
    h = found("expansion_signal", EXPANSION)
    assert h is not None
    assert h.extractor == expansion.NAME
    assert h.attributes["summary"]


def test_pitch_without_uptake_is_not_expansion():
    assert found("expansion_signal", PITCH) is None
    assert found("expansion_signal", DECLINE) is None


def test_wanting_to_add_a_module_is_expansion_by_rule():
    from pipelines.analyze.expansion import WANTS_MORE

    assert WANTS_MORE.search("Later this year we want to add the scheduling module for our two new sites.")
    assert WANTS_MORE.search("They'd like to roll it out to the night shift as well.")
    assert not WANTS_MORE.search("We don't want to add anything until the budget clears.")
    assert not WANTS_MORE.search("If we wanted to add seats, what would that cost?")
