"""Highlights: what the analysis stage found, each with its evidence, typed attributes and provenance."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Discriminator, Field, GetJsonSchemaHandler, Tag, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

Category = Literal[
    "goal_shift",
    "stakeholder_change",
    "risk",
    "value_quote",
    "advocacy_signal",
    "expansion_signal",
    "next_step",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]


class HighlightAttributes(BaseModel):
    """What one category says about its item; ``get``/``items`` read any category's fields by name."""

    model_config = ConfigDict(extra="forbid")

    def get(self, name: str, default: Any = None) -> Any:
        """A field's value by name (``default`` when this category has no such field)."""
        return getattr(self, name, default) if name in type(self).model_fields else default

    def items(self) -> Iterator[tuple[str, Any]]:
        """(field, value) pairs in declaration order."""
        return iter((name, getattr(self, name)) for name in type(self).model_fields)

    def __getitem__(self, name: str) -> Any:
        if name not in type(self).model_fields:
            raise KeyError(name)
        return getattr(self, name)


class GoalShiftAttributes(HighlightAttributes):
    kind: Literal["new", "changed", "dropped", "reprioritized"] | None = None
    previous_goal_id: str | None = Field(None, description="the account goal it changes")
    goal: str | None = Field(None, description="the goal as said")


class StakeholderChangeAttributes(HighlightAttributes):
    person: str | None = Field(None, description="whom the change is about, as named")
    change: Literal["joined", "departed", "role_changed", "sponsor_changed", "champion_changed", "reorg"] = (
        "role_changed"
    )
    title: str | None = None
    replaced_by: str | None = None


RiskCategory = Literal[
    "budget", "competitor", "adoption", "sponsor", "technical", "timeline", "support",
    "security_compliance", "org_change", "pricing", "renewal", "other",
]  # fmt: skip


class RiskAttributes(HighlightAttributes):
    category: RiskCategory = "other"
    severity: Literal["low", "medium", "high"] = "medium"
    summary: str | None = None


ValueType = Literal[
    "time_saved", "cost_saved", "revenue", "productivity", "quality", "visibility", "risk_reduction",
    "adoption", "experience", "other",
]  # fmt: skip


class ValueQuoteAttributes(HighlightAttributes):
    value_type: ValueType = "other"
    metric: str | None = Field(None, description="the numbers the speaker gives, as said")
    quote: str | None = None


class AdvocacySignalAttributes(HighlightAttributes):
    kind: Literal[
        "reference", "case_study", "review", "referral", "testimonial", "speaking", "praise"
    ] = "praise"  # fmt: skip


class ExpansionSignalAttributes(HighlightAttributes):
    summary: str | None = None


class NextStepAttributes(HighlightAttributes):
    owner: str | None = None
    action: str | None = None
    due: str | None = Field(None, description="the due phrase as spoken")


ATTRIBUTES: dict[str, type[HighlightAttributes]] = {
    "goal_shift": GoalShiftAttributes,
    "stakeholder_change": StakeholderChangeAttributes,
    "risk": RiskAttributes,
    "value_quote": ValueQuoteAttributes,
    "advocacy_signal": AdvocacySignalAttributes,
    "expansion_signal": ExpansionSignalAttributes,
    "next_step": NextStepAttributes,
}
"""Category -> the type of its highlights' ``attributes``."""


def attributes_for(category: str, values: Mapping[str, Any]) -> AnyAttributes:
    """The attributes of a ``category`` highlight from plain values (validated)."""
    return cast(AnyAttributes, ATTRIBUTES[category].model_validate(dict(values)))


def _attributes_tag(value: Any) -> str | None:
    """The category an attributes value belongs to (``Highlight`` types dicts by its category first)."""
    return next((cat for cat, cls in ATTRIBUTES.items() if type(value) is cls), None)


AnyAttributes = (
    GoalShiftAttributes
    | StakeholderChangeAttributes
    | RiskAttributes
    | ValueQuoteAttributes
    | AdvocacySignalAttributes
    | ExpansionSignalAttributes
    | NextStepAttributes
)
Attributes = Annotated[
    Annotated[GoalShiftAttributes, Tag("goal_shift")]
    | Annotated[StakeholderChangeAttributes, Tag("stakeholder_change")]
    | Annotated[RiskAttributes, Tag("risk")]
    | Annotated[ValueQuoteAttributes, Tag("value_quote")]
    | Annotated[AdvocacySignalAttributes, Tag("advocacy_signal")]
    | Annotated[ExpansionSignalAttributes, Tag("expansion_signal")]
    | Annotated[NextStepAttributes, Tag("next_step")],
    Discriminator(_attributes_tag),
]


class Highlight(BaseModel):
    """One thing a careful CSM would write down, traceable to the words and second it came from, and to
    what produced it (extractor name and version, heads, features)."""

    id: str = ""
    category: Category
    evidence: str = Field(description="the sentence(s) that carry the item, verbatim")
    speaker: str | None = None
    side: Literal["vendor", "customer"] | None = Field(
        None, description="the speaker's side; null when nobody said it and it could not be told"
    )
    side_unknown: bool = Field(
        False, description="nobody said the speaker's side: read as possibly customer, less confident"
    )
    start: float | None = Field(None, description="second of the recording where the evidence starts")
    end: float | None = None
    turns: list[int] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    attributes: Attributes
    extractor: str = Field(description="registered name and version of what produced it, e.g. aw.risk.v1")
    heads: str = Field("", description="id of the trained heads that scored it")
    features: str = Field("", description="version of the turn features the heads read")

    @model_validator(mode="before")
    @classmethod
    def _typed_attributes(cls, data: Any) -> Any:
        """``attributes`` given as a dict (JSON, older records) becomes its category's type."""
        if isinstance(data, dict) and data.get("category") in ATTRIBUTES:
            attrs = data.get("attributes")
            if attrs is None or isinstance(attrs, dict):
                data = dict(data, attributes=ATTRIBUTES[data["category"]].model_validate(attrs or {}))
        return data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The published schema ties ``attributes`` to ``category``: one if/then per category."""
        schema = handler(core_schema)
        body = handler.resolve_ref_schema(schema)
        attributes = body["properties"]["attributes"]
        refs = attributes.pop("oneOf")  # in the order of ATTRIBUTES; overlapping types: anyOf, not oneOf
        attributes["anyOf"] = refs
        body["allOf"] = [
            {
                "if": {"properties": {"category": {"const": cat}}},
                "then": {"properties": {"attributes": dict(ref)}},
            }
            for cat, ref in zip(ATTRIBUTES, refs, strict=True)
        ]
        return schema

    def model_post_init(self, __context: Any) -> None:
        if not self.id:
            key = f"{self.category}|{self.turns}|{self.evidence}"
            self.id = "h_" + hashlib.sha1(key.encode()).hexdigest()[:12]


class AdvocacyFlag(BaseModel):
    """Is the customer at a credible moment to be asked for advocacy? With the highlights that say so."""

    flag: bool = False
    confidence: float = 0.0
    evidence: list[str] = Field(default_factory=list, description="ids of the highlights behind the flag")
    reason: str = ""


class Analysis(BaseModel):
    """The analysis stage's output; a superset of the eval scorer's prediction format."""

    meeting_id: str
    highlights: list[Highlight] = Field(default_factory=list)
    advocacy: AdvocacyFlag = Field(default_factory=AdvocacyFlag)
    sides_inferred: bool = False
    models: dict[str, str] = Field(default_factory=dict)
