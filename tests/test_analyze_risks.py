"""Risks: a budget freeze is a risk with a category; a problem resolved in the same breath is not."""
from __future__ import annotations

import pytest
from analysis_meeting import found

from pipelines.analyze import risks

pytestmark = pytest.mark.slow
BUDGET, RESOLVED = 10, 11
CATEGORIES = {"budget", "competitor", "adoption", "sponsor", "technical", "timeline", "support",
              "security_compliance", "org_change", "pricing", "renewal", "other"}


def test_budget_freeze_is_a_budget_risk():
    h = found("risk", BUDGET)
    assert h is not None
    assert h.extractor == risks.NAME
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


def test_word_cues_name_the_risk_family_and_how_hard_it_is_said():
    import numpy as np

    from pipelines.analyze.word_families import CUE_NAMES, attribute_input, cues

    def strongest(text: str) -> str:
        return CUE_NAMES[int(np.argmax(cues(text)[: len(CUE_NAMES) - 2]))]

    assert strongest("The regulator wants an audit trail and our privacy office has to sign off.") == (
        "security_compliance"
    )
    assert strongest("Finance froze the budget until the next fiscal year.") == "budget"
    assert strongest("They are evaluating a cheaper alternative from another vendor.") == "competitor"
    hedge = cues("Maybe a minor thing for now.")
    hard = cues("This is a serious, critical problem for the board.")
    assert hedge[CUE_NAMES.index("hedge")] > 0 and hedge[CUE_NAMES.index("intensifier")] == 0
    assert hard[CUE_NAMES.index("intensifier")] > hard[CUE_NAMES.index("hedge")]
    m = np.ones((2, 4), dtype=np.float32)
    assert attribute_input(m, ["a", "b"], [0, 1], "goal_shift.kind").shape == (4,)
    assert attribute_input(m, ["a", "b"], [0, 1], "risk.category").shape == (4 + len(CUE_NAMES),)
