"""A meeting input that lives on a platform until the job downloads it (URL, auth, what it is),
and the delivery of a verified platform event that brings such inputs."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

SourceKind = Literal["recording", "transcript", "track"]
"""``track``: one participant's own audio (a speaker track), named by ``name``."""


class RemoteSource(BaseModel):
    """Where the job fetches one input of a meeting, and how it authenticates."""

    kind: SourceKind
    url: str = Field(max_length=4000, description="http(s) URL, or a platform resource the job resolves")
    suffix: str = Field(max_length=10, description="file suffix the stored copy gets, e.g. .m4a, .vtt")
    name: str | None = Field(default=None, max_length=200, description="speaker name of a track")
    auth: dict[str, Any] = Field(
        default_factory=dict,
        description="{'scheme': 'bearer', 'token': ...} | {'scheme': 'msgraph'} | {'scheme': 'google', "
        "'resolve': 'recording'|'transcript'} (tokens of the last two are obtained in the job)")


@dataclass
class Delivery:
    """What a verified event asks for: these inputs, on the meeting the platform calls ``subject``."""

    source: str
    event_key: str
    subject: str
    account_id: str
    title: str
    sources: list[RemoteSource] = field(default_factory=list)
    meeting_date: date | None = None
