"""Commitments, as the API lists them and marks them done (brief, recap and portfolio use the
pipeline types directly: pipelines.brief.Brief, pipelines.recap.Recap, pipelines.portfolio.Row)."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from pipelines.commitments import Commitment

Format = Literal["json", "md", "html"]


class CommitmentPublic(Commitment):
    now: Literal["open", "done", "missed"] = Field(description="status on the `as_of` date")


class CommitmentList(BaseModel):
    account_id: str = Field(max_length=200)
    as_of: date
    items: list[CommitmentPublic]


class CommitmentDone(BaseModel):
    """``POST .../commitments/{id}``: mark a commitment done (on ``done_on``, default today)."""

    status: Literal["done"] = "done"
    done_on: date | None = None


class ProposalReview(BaseModel):
    """``POST /v1/accounts/{id}/worksheet/{proposal_id}``: accept, edit (with text) or reject."""

    status: Literal["accepted", "edited", "rejected"]
    text: str | None = Field(default=None, max_length=4000, description="the edited answer")


class AskCreate(BaseModel):
    """``POST /v1/accounts/{id}/advocacy``: record an ask and how it went (brings the flag down)."""

    outcome: Literal["made", "accepted", "declined"]
    kind: Literal["reference", "review", "case_study", "referral", "testimonial"] | None = Field(
        default=None, description="default: the kind the draft asks for")
    note: str | None = Field(default=None, max_length=2000)
    recorded_on: date | None = None
