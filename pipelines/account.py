"""The account record as the pipeline sees it (the corpus ``account`` object; published as
``pipelines/schemas/account.schema.json``), and the one reader of account files."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from pipelines.errors import BadInputError
from pipelines.fields import AccountId, AccountName, PersonName, Text
from pipelines.limits import Limits, check_file_size, load_json, too_many

ACCOUNT_SCHEMA_HINT = "see pipelines/schemas/account.schema.json (example: samples/demo-account.json)"


class Goal(BaseModel):
    id: Text
    text: Text
    status: str | None = None


class Stakeholder(BaseModel):
    name: PersonName
    title: str | None = None
    role: str | None = None


class VendorMember(BaseModel):
    name: PersonName
    title: str | None = None


class Account(BaseModel):
    """The customer's goals, stakeholders and our own team, as they stood before a meeting."""

    account_id: AccountId
    name: AccountName
    renewal_date: str | None = None
    segment: str | None = Field(default=None, description="high_touch, mid_touch or low_touch")
    goals: list[Goal] = Field(default_factory=list)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    vendor_team: list[VendorMember] = Field(default_factory=list)


def read_account(path: str | Path, limits: Limits | None = None) -> Account:
    """An account JSON file: a bare account object, or a meeting JSON holding one under ``account``,
    within ``limits`` (file size, JSON depth, number of items)."""
    p = Path(path)
    limits = limits or Limits()
    check_file_size(p, limits, "account file")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise BadInputError(f"{p}: cannot read the account file ({e.strerror}); check the path") from None
    except UnicodeDecodeError:
        raise BadInputError(f"{p}: not a UTF-8 JSON file; export the account as JSON") from None
    data = load_json(text, p, limits)
    if isinstance(data, dict) and isinstance(data.get("account"), dict) and "account_id" not in data:
        data = {"segment": data.get("segment"), **data["account"]}  # a meeting holds the segment
    if not isinstance(data, dict):
        raise BadInputError(f"{p}: expected an account JSON object; {ACCOUNT_SCHEMA_HINT}")
    try:
        return check_account(Account.model_validate(data), limits, p)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(map(str, err["loc"])) or "account"
        raise BadInputError(f"{p}: not an account ({where}: {err['msg']}); {ACCOUNT_SCHEMA_HINT}") from None


def check_account(account: Account, limits: Limits, where: str | Path) -> Account:
    """The account, if its goals, stakeholders and vendor team are within ``limits``."""
    items = len(account.goals) + len(account.stakeholders) + len(account.vendor_team)
    if items > limits.max_account_items:
        raise too_many("number of account items (goals, stakeholders, vendor team)", items,
                       limits.max_account_items, "AW_MAX_ACCOUNT_ITEMS", where)
    return account
