"""The account record as the pipeline sees it (the corpus ``account`` object; published as
``pipelines/schemas/account.schema.json``), and the one reader of account files."""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from pipelines.errors import BadInputError

ACCOUNT_SCHEMA_HINT = "see pipelines/schemas/account.schema.json (example: samples/demo-account.json)"


class Goal(BaseModel):
    id: str
    text: str
    status: str | None = None


class Stakeholder(BaseModel):
    name: str
    title: str | None = None
    role: str | None = None


class VendorMember(BaseModel):
    name: str
    title: str | None = None


class Account(BaseModel):
    """The customer's goals, stakeholders and our own team, as they stood before a meeting."""

    account_id: str
    name: str
    renewal_date: str | None = None
    segment: str | None = Field(default=None, description="high_touch, mid_touch or low_touch")
    goals: list[Goal] = Field(default_factory=list)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    vendor_team: list[VendorMember] = Field(default_factory=list)


def read_account(path: str | Path) -> Account:
    """An account JSON file: a bare account object, or a meeting JSON holding one under ``account``."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise BadInputError(f"{p}: cannot read the account file ({e.strerror}); check the path") from None
    except UnicodeDecodeError:
        raise BadInputError(f"{p}: not a UTF-8 JSON file; export the account as JSON") from None
    except json.JSONDecodeError as e:
        raise BadInputError(f"{p}, line {e.lineno}: invalid JSON ({e.msg})") from None
    if isinstance(data, dict) and isinstance(data.get("account"), dict) and "account_id" not in data:
        data = {"segment": data.get("segment"), **data["account"]}  # a meeting holds the segment
    if not isinstance(data, dict):
        raise BadInputError(f"{p}: expected an account JSON object; {ACCOUNT_SCHEMA_HINT}")
    try:
        return Account.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(map(str, err["loc"])) or "account"
        raise BadInputError(f"{p}: not an account ({where}: {err['msg']}); {ACCOUNT_SCHEMA_HINT}") from None
