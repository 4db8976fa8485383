"""Account records and their revisions."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class AccountPublic(BaseModel):
    id: str = Field(max_length=200)
    name: str = Field(max_length=500)
    revision: int = Field(ge=0, description="number of the latest revision")
    record: dict[str, Any] = Field(description="the record at that revision, every item with its source")


class RevisionSummary(BaseModel):
    number: int = Field(ge=1)
    kind: Literal["import", "meeting", "review"]
    meeting_id: str | None = Field(default=None, max_length=100)
    reason: str | None = Field(default=None, max_length=2000)
    changes: int = Field(ge=0)
    created_at: datetime


class RevisionPublic(RevisionSummary):
    state: dict[str, Any]
    diff: dict[str, Any] | None = None


class RevisionList(BaseModel):
    account_id: str = Field(max_length=200)
    items: list[RevisionSummary]
