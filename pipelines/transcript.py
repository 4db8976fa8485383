"""The transcript: what was said, when, and by whom (the output of transcribe + speakers)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from pipelines.fields import PersonName, Text

Side = Literal["vendor", "customer"]


class Word(BaseModel):
    """One recognised word with its time span in seconds."""

    start: float
    end: float
    text: Text
    probability: float | None = None


class Segment(BaseModel):
    """One turn of speech: a stretch of words by one speaker."""

    id: int
    start: float | None = None
    end: float | None = None
    text: Text
    speaker: PersonName | None = None
    side: Side | None = None
    side_inferred: bool = False
    confidence: float | None = Field(default=None, description="mean word probability, 0..1")
    words: list[Word] = Field(default_factory=list)


class Participant(BaseModel):
    """A person in the meeting and the side of the table they sit on."""

    name: PersonName
    side: Side | None = None
    side_inferred: bool = False


class Transcript(BaseModel):
    """A whole meeting's transcript, from speech recognition or an imported platform file."""

    source: Literal["asr", "import"] = "asr"
    language: str | None = None
    duration: float | None = None
    model: str | None = None
    segments: list[Segment] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list, description="what reading the input fixed up (shown to the user, logged)")

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    def speakers(self) -> list[str]:
        """Speaker names in order of first appearance."""
        seen: dict[str, None] = {}
        for s in self.segments:
            if s.speaker:
                seen.setdefault(s.speaker, None)
        return list(seen)
