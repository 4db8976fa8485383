"""Highlights: attributes typed per category (same JSON as before), and the provenance each records."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from pipelines.highlight import ATTRIBUTES, Analysis, Highlight, RiskAttributes


def risk(**attributes: object) -> Highlight:
    return Highlight(category="risk", evidence="Our budget is frozen.", confidence=0.8,
                     attributes=attributes, extractor="aw.risk.v1")


def test_attributes_are_typed_by_category_and_serialise_as_a_plain_object():
    h = risk(category="budget", severity="high", summary="Our budget is frozen.")
    assert isinstance(h.attributes, RiskAttributes)
    dumped = h.model_dump(mode="json")
    want = {"category": "budget", "severity": "high", "summary": "Our budget is frozen."}
    assert dumped["attributes"] == want
    assert Highlight.model_validate(dumped) == h
    assert h.attributes.get("severity") == "high" and h.attributes.get("owner") is None
    assert dict(h.attributes.items())["category"] == "budget"


def test_an_attribute_of_another_category_or_value_is_refused():
    with pytest.raises(ValidationError):
        risk(owner="Dana")  # a next step's attribute
    with pytest.raises(ValidationError):
        risk(severity="catastrophic")


def test_every_category_has_its_type_and_empty_attributes_take_defaults():
    for cat, cls in ATTRIBUTES.items():
        h = Highlight(category=cat, evidence="x", confidence=0.5, attributes={}, extractor=f"aw.{cat}.v1")
        assert type(h.attributes) is cls


def test_the_published_schema_ties_attributes_to_category():
    schema = Analysis.model_json_schema(mode="serialization")
    rules = schema["$defs"]["Highlight"]["allOf"]
    tied = {r["if"]["properties"]["category"]["const"]: r["then"]["properties"]["attributes"]["$ref"]
            for r in rules}
    assert tied == {cat: f"#/$defs/{cls.__name__}" for cat, cls in ATTRIBUTES.items()}
    for name in ("heads", "features", "extractor"):
        assert name in schema["$defs"]["Highlight"]["properties"]
