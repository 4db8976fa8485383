"""Expansion signals: the customer wants more (teams, users, use cases, products, tiers)."""

from __future__ import annotations

from pipelines.analyze.context import MeetingContext
from pipelines.analyze.registry import register
from pipelines.highlight import Highlight

NAME = "aw.expansion_signal.v1"


@register(NAME)
def extract(ctx: MeetingContext) -> list[Highlight]:
    out = []
    for group in ctx.groups("expansion_signal"):
        summary = ctx.best_span("expansion_signal", ctx.peak("expansion_signal", group))
        out.append(ctx.highlight("expansion_signal", group, NAME, attributes={"summary": summary}))
    return out
