"""The published JSON Schema of the analysis output.

Regenerate after a change of the types: ``python -m pipelines.analyze.schema``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipelines.highlight import Analysis

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schemas" / "analysis.schema.json"
SCHEMA_ID = "analysis.schema.json"


def analysis_schema() -> dict[str, Any]:
    """The JSON Schema of ``Analysis`` as serialised by ``analyze`` and the CLI."""
    schema = Analysis.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(analysis_schema(), indent=2, sort_keys=True) + "\n")
    return path


if __name__ == "__main__":
    print(write_schema())
