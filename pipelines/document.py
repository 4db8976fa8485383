"""A document as the brief, recap and portfolio hand it to a renderer: titled sections of lines,
each line with its evidence. Renderers (pipelines/document_render.py) never see the domain types."""

from __future__ import annotations

from pydantic import BaseModel, Field

from pipelines.evidence import Evidence


class Line(BaseModel):
    """One statement, a tag (``missed``, ``high``...), whether it is a checklist box, its evidence."""

    text: str
    tag: str | None = None
    check: bool = False
    quote: str | None = Field(default=None, description="the customer's words, shown as a quotation")
    evidence: list[Evidence] = Field(default_factory=list)
    sub: list[str] = Field(default_factory=list, description="indented detail lines")


class Section(BaseModel):
    title: str
    lines: list[Line] = Field(default_factory=list)
    empty: str = "nothing on the record"
    note: str | None = None


class Document(BaseModel):
    title: str
    subtitle: str | None = None
    notice: str | None = Field(default=None, description="a warning shown above everything")
    sections: list[Section] = Field(default_factory=list)
