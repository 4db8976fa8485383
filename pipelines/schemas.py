"""The published JSON Schemas: one writer and one checker for every schema in ``pipelines/schemas/``.

Each file is ``<name>.schema.json`` with ``$schema`` (draft 2020-12) and a relative ``$id`` (its own
file name), so the schemas refer to each other wherever the folder is copied. After a change of a
type: ``python -m pipelines.schemas`` (``--check`` lists stale files and exits 1).
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

SCHEMA_DIR = Path(__file__).parent / "schemas"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _transcript() -> dict[str, Any]:
    from pipelines.transcript import Transcript

    return Transcript.model_json_schema(mode="serialization")


def _analysis() -> dict[str, Any]:
    from pipelines.highlight import Analysis

    return Analysis.model_json_schema(mode="serialization")


def _account() -> dict[str, Any]:
    from pipelines.account import Account

    return Account.model_json_schema()


def _account_update() -> dict[str, Any]:
    from pipelines.update import AccountUpdate

    return AccountUpdate.model_json_schema()


def _account_export() -> dict[str, Any]:
    from pipelines.account_state import AccountExport

    return AccountExport.model_json_schema(by_alias=True)


BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {
    "transcript": _transcript,
    "analysis": _analysis,
    "account": _account,
    "account_update": _account_update,
    "account_export": _account_export,
}
"""Schema name -> the pydantic schema of the type it publishes (types imported lazily)."""


def file_name(name: str) -> str:
    return f"{name}.schema.json"


def schema_path(name: str, folder: Path = SCHEMA_DIR) -> Path:
    """Where the schema ``name`` is published (e.g. ``account`` -> pipelines/schemas/account.schema.json)."""
    return folder / file_name(name)


def schema(name: str) -> dict[str, Any]:
    """The schema ``name`` as published: ``$schema``, relative ``$id``, then the type's schema."""
    if name not in BUILDERS:
        raise KeyError(f"no published schema {name!r}; one of {', '.join(BUILDERS)}")
    return {"$schema": DRAFT, "$id": file_name(name), **BUILDERS[name]()}


def model_schema(model: type[BaseModel], name: str, **kwargs: Any) -> dict[str, Any]:
    """A schema for a type not in :data:`BUILDERS`, with the same ``$schema``/``$id`` header."""
    return {"$schema": DRAFT, "$id": file_name(name), **model.model_json_schema(**kwargs)}


def _text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def write_schemas(names: list[str] | None = None, folder: Path = SCHEMA_DIR) -> list[Path]:
    """Write the schemas ``names`` (default: all) into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in names or list(BUILDERS):
        path = schema_path(name, folder)
        path.write_text(_text(schema(name)))
        out.append(path)
    return out


def stale_schemas(names: list[str] | None = None, folder: Path = SCHEMA_DIR) -> list[str]:
    """Names whose published file is missing or differs from the types (empty: all current)."""
    stale = []
    for name in names or list(BUILDERS):
        path = schema_path(name, folder)
        if not path.is_file() or json.loads(path.read_text()) != json.loads(_text(schema(name))):
            stale.append(name)
    return stale


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = stale_schemas()
        for name in stale:
            print(f"{schema_path(name)} is stale: run python -m pipelines.schemas")
        return 1 if stale else 0
    for path in write_schemas():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
