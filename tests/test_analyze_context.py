"""Shared extractor helpers: which turn of a run of turns is the evidence."""
from __future__ import annotations

import pytest
from analysis_meeting import meeting_context

pytestmark = pytest.mark.slow
BUDGET, RESOLVED = 10, 11  # a budget freeze, then an outage fixed the same day


def test_evidence_is_the_turn_whose_own_sentence_says_it_not_the_likeliest_turn():
    from pipelines.analyze.context import MeetingContext

    ctx = meeting_context()
    probs = {cat: p.copy() for cat, p in ctx.probs.items()}
    probs["risk"][BUDGET], probs["risk"][RESOLVED] = 0.6, 0.99  # context pulled the wrong turn up
    run = MeetingContext(ctx.transcript, ctx.account, ctx.feats, ctx.heads, probs)
    assert run.peak("risk", [BUDGET, RESOLVED]) == BUDGET
    assert run.peak("risk", [RESOLVED]) == RESOLVED
    h = run.highlight("risk", [BUDGET, RESOLVED], "test")
    assert h.evidence == ctx.feats.texts[BUDGET] and h.confidence == pytest.approx(0.6)
