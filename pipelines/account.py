"""The account record as the pipeline sees it (the corpus ``account`` object, SCHEMA.md)."""
from __future__ import annotations

from pydantic import BaseModel, Field


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
    goals: list[Goal] = Field(default_factory=list)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    vendor_team: list[VendorMember] = Field(default_factory=list)
