"""Direct-to-S3 uploads: UploadCreate (what the client will send) -> UploadTicket (where/how)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from worker.api.schemas.meetings import AccountId, MeetingBase

CONTENT_TYPE = r"^((audio|video)/[A-Za-z0-9.+-]{1,60}|text/vtt|application/x-subrip|application/json)$"


class UploadCreate(MeetingBase):
    account_id: AccountId
    filename: str = Field(min_length=1, max_length=300)
    size: int = Field(ge=1, description="exact size in bytes of the file that will be sent")
    content_type: str = Field(pattern=CONTENT_TYPE, max_length=80,
                              description="the Content-Type the file will be sent with (signed)")


class UploadTicket(BaseModel):
    """POST ``fields`` plus the file (last, in the field ``file``) as multipart/form-data to ``url``
    before ``expires_at``; then POST ``complete_url``. The store refuses any other size or type."""

    id: str = Field(max_length=40)
    method: Literal["POST"] = "POST"
    url: str = Field(max_length=2000)
    fields: dict[str, Any]
    expires_at: datetime
    max_bytes: int = Field(ge=1)
    complete_url: str = Field(max_length=200)
