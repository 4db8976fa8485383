"""Meetings: MeetingBase -> MeetingCreate (upload fields) / MeetingPublic (status) ladder."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from worker.settings import text_list

AccountId = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
MeetingId = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Status = Literal["queued", "running", "retrying", "done", "failed"]
MAX_PARTICIPANTS = 100


class MeetingBase(BaseModel):
    title: str | None = Field(default=None, max_length=300)
    meeting_date: date | None = None
    participants: list[Name] | None = Field(default=None, max_length=MAX_PARTICIPANTS)


class MeetingCreate(MeetingBase):
    """The form fields of ``POST /v1/meetings`` besides the files."""

    account_id: AccountId

    @field_validator("participants", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        """A JSON list (``["Ana","Raj"]``) or comma-separated names (``Ana, Raj``)."""
        return text_list(value) or None


class MeetingAccepted(BaseModel):
    id: MeetingId
    status: Status
    status_url: str = Field(max_length=200, description="GET it for the job's progress")


class MeetingPublic(MeetingBase):
    model_config = ConfigDict(from_attributes=True)

    id: MeetingId
    account_id: AccountId
    status: Status
    stage: str | None = Field(default=None, max_length=20)
    progress: float = Field(ge=0.0, le=1.0, description="0..1 of the whole job")
    error: str | None = Field(default=None, max_length=10_000)
    filename: str | None = Field(default=None, max_length=500)
    duration: float | None = Field(default=None, ge=0, description="seconds of audio")
    has_recording: bool
    has_transcript: bool
    revision: int | None = Field(default=None, description="account revision the meeting made")
    created_at: datetime
    updated_at: datetime


class MeetingPage(BaseModel):
    items: list[MeetingPublic]
    total: int = Field(ge=0)
    limit: int = Field(ge=1, le=200)
    offset: int = Field(ge=0)


class HighlightPublic(BaseModel):
    """A highlight; ``id`` is ``<meeting id>:<highlight id>`` (highlight ids repeat across meetings)."""

    id: str = Field(max_length=150, description="global id for PATCH /v1/highlights/{id}")
    meeting_id: MeetingId
    highlight_id: str = Field(max_length=40)
    category: str = Field(max_length=40)
    evidence: str = Field(max_length=20_000)
    speaker: str | None = Field(default=None, max_length=200)
    side: str | None = Field(default=None, max_length=20)
    start: float | None = None
    end: float | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    extractor: str = Field(max_length=100, description="extractor name and version, e.g. aw.risk.v2")
    heads: str = Field(default="", max_length=100, description="id of the trained heads that scored it")
    features: str = Field(default="", max_length=40, description="version of the turn features")
    attributes: dict[str, Any]
    review_status: Literal["pending", "accepted", "edited", "rejected"]


class HighlightUpdate(BaseModel):
    """A review decision: accept, reject (takes its change out of the record), or edit attributes
    (its change is made again with them); reject and edit make a new account revision."""

    action: Literal["accept", "reject", "edit"]
    attributes: dict[str, Annotated[str | float | int | bool | None, Field()]] | None = Field(
        default=None, max_length=30, description="for edit: the attributes to change")


class HighlightReviewed(BaseModel):
    highlight: HighlightPublic
    revision: int | None = Field(default=None, description="the new account revision, if one was made")
