"""Risks to the renewal, the value or the relationship, with category and severity."""

from __future__ import annotations

from pipelines.analyze.context import MeetingContext
from pipelines.analyze.registry import register
from pipelines.highlight import Highlight

NAME = "aw.risk.v2"  # v2: evidence is the sentence(s), with their second; unknown sides


@register(NAME)
def extract(ctx: MeetingContext) -> list[Highlight]:
    out = []
    for group in ctx.groups("risk"):
        top = ctx.peak("risk", group)
        category, _ = ctx.attribute("risk.category", [top])
        severity, _ = ctx.attribute("risk.severity", [top])
        summary = ctx.best_span("risk", top)
        attrs = {"category": category or "other", "severity": severity or "medium", "summary": summary}
        out.append(ctx.highlight("risk", group, NAME, attributes=attrs))
    return out
