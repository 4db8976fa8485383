"""Highlights: what the analysis stage found, each with its evidence."""
from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, Field

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


class Highlight(BaseModel):
    """One thing a careful CSM would write down, traceable to the words and second it came from."""

    id: str = ""
    category: Category
    evidence: str
    speaker: str | None = None
    side: Literal["vendor", "customer"] | None = None
    start: float | None = None
    end: float | None = None
    turns: list[int] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    attributes: dict[str, Any] = Field(default_factory=dict)
    extractor: str = Field(description="registered name and version of what produced it, e.g. aw.risk.v1")

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
