"""Value quotes: the customer's own words as an exact substring; vendor claims and thanks are not quotes."""
from __future__ import annotations

import dataclasses

import pytest
from analysis_meeting import TURNS, analysis, found, meeting_context

from pipelines.analyze import value

pytestmark = pytest.mark.slow
CUSTOMER_VALUE, VENDOR_CLAIM, THANKS = 5, 6, 7


def test_customer_value_is_the_most_likely_value_turn():
    p = meeting_context().probs["value_quote"]
    assert int(p.argmax()) == CUSTOMER_VALUE
    assert p[VENDOR_CLAIM] == 0.0  # vendor turns are never value quotes
    assert p[CUSTOMER_VALUE] > 3 * p[THANKS]


def test_quote_is_an_exact_substring_with_type_and_metric():
    from models.heads import HeadSet

    ctx = meeting_context()
    meta = dict(ctx.heads.meta, thresholds=dict(ctx.heads.meta["thresholds"]))
    meta["thresholds"]["value_quote"] = {"threshold": 0.5, "gap": 0, "f1": 0.0}  # decision aside
    lowered = dataclasses.replace(ctx, heads=HeadSet(ctx.heads.heads, meta))
    h = next(h for h in value.extract(lowered) if h.turns == [CUSTOMER_VALUE])
    assert h.extractor == value.NAME
    assert h.evidence in TURNS[CUSTOMER_VALUE][1]  # exact substring of the turn
    assert h.speaker == "Ruth Amari" and h.side == "customer"
    assert h.attributes["value_type"] in {"time_saved", "productivity"}
    assert "ten minutes" in (h.attributes["metric"] or "")


def test_vendor_claimed_value_and_polite_thanks_are_not_quotes():
    assert found("value_quote", VENDOR_CLAIM) is None
    assert found("value_quote", THANKS) is None


def test_value_quotes_only_come_from_customer_speakers():
    assert all(h.side == "customer" for h in analysis().highlights if h.category == "value_quote")


def test_metric_by_rule():
    from models.nlp import parse
    from pipelines.analyze.entities import metric_in

    doc = parse(["We cut overtime by thirty percent and saved $40,000 last year."])[0]
    metric = metric_in(doc) or ""
    assert "thirty percent" in metric and "40,000" in metric
    assert metric_in(parse(["The team really likes it."])[0]) is None


def test_metric_survives_speech_recognition_spacing():
    from pipelines.analyze.entities import normalize_numbers
    from pipelines.analyze.value import metric

    assert normalize_numbers("down 30 % and about $40 ,000 saved") == "down 30% and about $40,000 saved"
    assert normalize_numbers("from 2, 000 to 1 .5 hours") == "from 2,000 to 1.5 hours"
    assert normalize_numbers("steps 1, 2 and 3") == "steps 1, 2 and 3"
    found_metric = metric("Returns are down 12 % since May, which saved us about $65 ,000.")
    assert found_metric is not None
    assert "$65,000" in found_metric and "12%" in found_metric
    assert "000" not in found_metric.replace("$65,000", "")  # never split on the thousands separator
