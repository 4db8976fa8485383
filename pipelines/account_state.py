"""The stored account record: what the service knows about an account, every item with its source.

Imported accounts (the corpus ``account`` format) start with items that have no source; every
item a meeting adds or changes carries a :class:`Provenance` pointing at the highlight, quote,
speaker and second it came from, and keeps the value it replaced (``previous``) so a rejected
highlight can be taken back out.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from pipelines.account import Account, Goal, Stakeholder, VendorMember

SCHEMA_VERSION = 1


class Provenance(BaseModel):
    """Where a change came from: the meeting, the highlight, its words, who said them and when."""

    meeting_id: str
    highlight_id: str | None = None
    quote: str = ""
    speaker: str | None = None
    start: float | None = None
    end: float | None = None
    turns: list[int] = Field(default_factory=list, description="turn indices in the transcript")
    confidence: float | None = None
    extractor: str | None = None


class Sourced(BaseModel):
    """An item of the record with the change that produced it and the value it replaced."""

    source: Provenance | None = None
    previous: dict[str, Any] | None = Field(
        default=None, description="the item as it stood before the change in `source` (None: new)"
    )


class GoalItem(Goal, Sourced):
    """An account goal (id, text, status) with its rank and source."""

    priority: int | None = None


class StakeholderItem(Stakeholder, Sourced):
    """A customer-side person (name, title, role) with whether they are still there and who replaced them."""

    active: bool = True
    replaced_by: str | None = None


class RiskItem(Sourced):
    id: str
    category: str = "other"
    severity: str = "medium"
    summary: str
    status: Literal["open", "closed"] = "open"


class ValueQuoteItem(Sourced):
    id: str
    quote: str
    speaker: str | None = None
    value_type: str | None = None
    metric: str | None = None


class ExpansionItem(Sourced):
    id: str
    summary: str


class NextStepItem(Sourced):
    id: str
    action: str
    owner: str | None = None
    due: str | None = None


class AdvocacyItem(Sourced):
    flag: bool = False
    confidence: float = 0.0
    reason: str = ""
    signals: list[Provenance] = Field(default_factory=list)


# collection name -> (item type, name of the key field); "advocacy" is a single item.
COLLECTIONS: dict[str, tuple[type[Sourced], str]] = {
    "goals": (GoalItem, "id"),
    "stakeholders": (StakeholderItem, "name"),
    "risks": (RiskItem, "id"),
    "value_quotes": (ValueQuoteItem, "id"),
    "expansion_signals": (ExpansionItem, "id"),
    "next_steps": (NextStepItem, "id"),
}


class AccountState(BaseModel):
    """The account record as stored: one revision's full state."""

    schema_version: int = SCHEMA_VERSION
    account_id: str
    name: str
    renewal_date: str | None = None
    segment: str | None = Field(default=None, description="high_touch, mid_touch or low_touch")
    goals: list[GoalItem] = Field(default_factory=list)
    stakeholders: list[StakeholderItem] = Field(default_factory=list)
    vendor_team: list[VendorMember] = Field(default_factory=list)
    risks: list[RiskItem] = Field(default_factory=list)
    value_quotes: list[ValueQuoteItem] = Field(default_factory=list)
    expansion_signals: list[ExpansionItem] = Field(default_factory=list)
    next_steps: list[NextStepItem] = Field(default_factory=list)
    advocacy: AdvocacyItem = Field(default_factory=AdvocacyItem)
    meetings: list[str] = Field(default_factory=list, description="ids of the meetings applied")
    rejected_highlights: list[str] = Field(
        default_factory=list, description="rejected highlights, as `<meeting id>/<highlight id>`")

    @classmethod
    def from_account(cls, account: Account) -> AccountState:
        """A fresh record from the corpus ``account`` object (items have no source)."""
        return cls(
            account_id=account.account_id,
            name=account.name,
            renewal_date=account.renewal_date,
            segment=account.segment,
            goals=[GoalItem(id=g.id, text=g.text, status=g.status, priority=k + 1)
                   for k, g in enumerate(account.goals)],
            stakeholders=[StakeholderItem(name=s.name, title=s.title, role=s.role)
                          for s in account.stakeholders],
            vendor_team=list(account.vendor_team),
        )

    def to_account(self) -> Account:
        """The record as the analysis stage sees it: live goals and current stakeholders."""
        return Account(
            account_id=self.account_id,
            name=self.name,
            renewal_date=self.renewal_date,
            segment=self.segment,
            goals=[Goal(id=g.id, text=g.text, status=g.status) for g in self.goals
                   if g.status != "dropped"],
            stakeholders=[Stakeholder(name=s.name, title=s.title, role=s.role)
                          for s in self.stakeholders if s.active],
            vendor_team=list(self.vendor_team),
        )

    def find_stakeholder(self, spoken: str | None) -> StakeholderItem | None:
        """The stakeholder a spoken name refers to: exact name, else a unique first/last-name match."""
        if not spoken:
            return None
        want = spoken.strip().casefold()
        for s in self.stakeholders:
            if s.name.casefold() == want:
                return s
        tokens = set(want.split())
        hits = [s for s in self.stakeholders if tokens & set(s.name.casefold().split())]
        return hits[0] if len(hits) == 1 else None


class AccountExport(BaseModel):
    """``account export``: the record at one revision, in the published schema."""

    schema_: str = Field(default="account_export.schema.json", alias="$schema")
    revision: int = Field(ge=0, description="revision number the record is taken from (0: imported)")
    account: AccountState

    model_config = {"populate_by_name": True}
