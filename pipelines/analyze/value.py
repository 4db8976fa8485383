"""Customer value quotes: a customer-side speaker's own words about value received."""

from __future__ import annotations

from pipelines.analyze.context import MeetingContext
from pipelines.analyze.entities import metric_in, normalize_numbers
from pipelines.analyze.registry import register
from pipelines.highlight import Highlight

NAME = "aw.value_quote.v2"  # v2: quotes of at most MAX_QUOTE_WORDS, with their second; unknown sides


@register(NAME)
def extract(ctx: MeetingContext) -> list[Highlight]:
    out = []
    for group in ctx.groups("value_quote"):
        top = ctx.peak("value_quote", group)
        if not ctx.maybe_customer(top):
            continue
        quote = ctx.best_span("value_quote", top)
        value_type, _ = ctx.attribute("value_quote.value_type", [top])
        attrs = {
            "value_type": value_type or "other",
            "metric": metric(quote),
            "quote": quote,
        }
        out.append(ctx.highlight("value_quote", [top], NAME, evidence=quote, attributes=attrs))
    return out


def metric(quote: str) -> str | None:
    """The numbers in the quote, read after closing speech-recognition gaps inside numbers."""
    from models.nlp import parse

    return metric_in(parse([normalize_numbers(quote)])[0])
