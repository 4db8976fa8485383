"""The published analysis JSON Schema is up to date and the output validates against it."""
from __future__ import annotations

import json

import jsonschema
import pytest

from pipelines.analyze.schema import SCHEMA_PATH, analysis_schema


def test_published_schema_is_up_to_date():
    published = json.loads(SCHEMA_PATH.read_text())
    assert published == analysis_schema(), "run `python -m pipelines.schemas`"


@pytest.mark.slow
def test_analysis_output_validates():
    from analysis_meeting import analysis

    doc = analysis().model_dump(mode="json")
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text()))
    assert doc["highlights"] and doc["meeting_id"] == "test-fleet"


@pytest.mark.slow
def test_no_times_gives_none_and_unknown_sides_stay_unknown():
    from analysis_meeting import analysis

    result = analysis(with_sides=False, with_times=False, with_account=False)
    assert result.sides_inferred is False
    assert result.highlights and all(h.side is None and h.side_unknown for h in result.highlights)
    assert all(h.start is None and h.end is None for h in result.highlights)
    timed = analysis()
    assert all(h.start is not None and h.end is not None and h.start <= h.end for h in timed.highlights)
