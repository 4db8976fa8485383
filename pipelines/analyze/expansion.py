"""Expansion signals: the customer wants more (teams, users, use cases, products, tiers)."""

from __future__ import annotations

import re

from pipelines.analyze.context import MeetingContext
from pipelines.analyze.registry import register
from pipelines.highlight import Highlight

NAME = "aw.expansion_signal.v2"  # v2: evidence is the sentence(s), with their second; unknown sides
# the customer says they want more of the product: add a module, seats, sites, a team ("we want to add ...")
WANTS_MORE = re.compile(
    r"\b(?:we|they|i)(?:'d| would)? (?:want|like|need|plan|are planning|are looking|intend|hope)\s+to\s+"
    r"(?:add|expand|extend|roll (?:it |this |that )?out|bring (?:on|in)|onboard|upgrade|buy|license|"
    r"purchase)\b",
    re.I,
)


def wants_more(ctx: MeetingContext) -> set[int]:
    """Customer-side turns that ask for more of the product in so many words."""
    return {
        i
        for i, text in enumerate(ctx.feats.texts)
        if ctx.maybe_customer(i) and WANTS_MORE.search(text)
    }


@register(NAME)
def extract(ctx: MeetingContext) -> list[Highlight]:
    out = []
    rule = wants_more(ctx)
    for group in ctx.groups("expansion_signal", add=rule):
        summary = ctx.best_span("expansion_signal", ctx.peak("expansion_signal", group))
        attrs = {"summary": summary}
        out.append(ctx.highlight("expansion_signal", group, NAME, attributes=attrs, ruled_in=rule))
    return out
