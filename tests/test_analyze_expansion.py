"""Expansion signals: another department wants in; a vendor pitch the customer turns down is not one."""
from __future__ import annotations

import pytest
from analysis_meeting import found

pytestmark = pytest.mark.slow
EXPANSION, PITCH, DECLINE = 12, 13, 14


def test_another_department_wanting_the_product_is_expansion():
    h = found("expansion_signal", EXPANSION)
    assert h is not None
    assert h.extractor == "aw.expansion_signal.v1"
    assert h.attributes["summary"]


def test_pitch_without_uptake_is_not_expansion():
    assert found("expansion_signal", PITCH) is None
    assert found("expansion_signal", DECLINE) is None
