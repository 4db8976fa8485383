"""The published JSON Schemas: one writer, every file current, headers, shipped examples validate."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from pipelines import schemas
from pipelines.formats import read_meeting

SAMPLES = Path(__file__).parents[1] / "samples"


def test_every_published_schema_is_current():
    assert schemas.stale_schemas() == [], "run python -m pipelines.schemas"
    assert schemas.main(["--check"]) == 0


@pytest.mark.parametrize("name", list(schemas.BUILDERS))
def test_headers_are_draft_2020_12_with_a_relative_id(name):
    published = json.loads(schemas.schema_path(name).read_text())
    assert published["$schema"] == schemas.DRAFT
    assert published["$id"] == f"{name}.schema.json" == schemas.schema_path(name).name
    jsonschema.Draft202012Validator.check_schema(published)


def test_check_reports_a_stale_file(tmp_path: Path):
    schemas.write_schemas(["account"], tmp_path)
    assert schemas.stale_schemas(["account"], tmp_path) == []
    doc = json.loads((tmp_path / "account.schema.json").read_text())
    doc["properties"].pop("name")
    (tmp_path / "account.schema.json").write_text(json.dumps(doc))
    assert schemas.stale_schemas(["account", "transcript"], tmp_path) == ["account", "transcript"]


def test_shipped_samples_match_their_schemas():
    account = json.loads(schemas.schema_path("account").read_text())
    jsonschema.validate(json.loads((SAMPLES / "demo-account.json").read_text()), account)
    transcript, _, _ = read_meeting(SAMPLES / "demo-meeting.json")
    jsonschema.validate(transcript.model_dump(mode="json"),
                        json.loads(schemas.schema_path("transcript").read_text()))


def test_unknown_schema_name_is_reported():
    with pytest.raises(KeyError, match="account_export"):
        schemas.schema("accounts")
