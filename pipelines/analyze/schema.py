"""The published JSON Schema of the analysis output (written by ``python -m pipelines.schemas``)."""

from __future__ import annotations

from typing import Any

from pipelines.schemas import schema, schema_path

SCHEMA_PATH = schema_path("analysis")


def analysis_schema() -> dict[str, Any]:
    """The JSON Schema of ``Analysis`` as serialised by ``analyze`` and the CLI."""
    return schema("analysis")
