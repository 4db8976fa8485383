"""Risks: a budget freeze is a risk with a category; a problem resolved in the same breath is not."""
from __future__ import annotations

import pytest
from analysis_meeting import found

pytestmark = pytest.mark.slow
BUDGET, RESOLVED = 10, 11
CATEGORIES = {"budget", "competitor", "adoption", "sponsor", "technical", "timeline", "support",
              "security_compliance", "org_change", "pricing", "renewal", "other"}


def test_budget_freeze_is_a_budget_risk():
    h = found("risk", BUDGET)
    assert h is not None
    assert h.extractor == "aw.risk.v1"
    assert h.attributes["category"] == "budget"
    assert h.attributes["severity"] in {"low", "medium", "high"}
    assert h.attributes["summary"] and h.attributes["summary"] in h.evidence
    assert 0.0 <= h.confidence <= 1.0


def test_resolved_outage_is_not_a_risk():
    assert found("risk", RESOLVED) is None


def test_every_risk_has_a_known_category():
    from analysis_meeting import analysis

    for h in analysis().highlights:
        if h.category == "risk":
            assert h.attributes["category"] in CATEGORIES
