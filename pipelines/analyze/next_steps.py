"""Agreed next steps, with an owner (either side) and the due phrase as spoken."""

from __future__ import annotations

import re

from pipelines.analyze.context import MeetingContext
from pipelines.analyze.entities import due_in, persons, resolve_name
from pipelines.analyze.registry import register
from pipelines.highlight import Highlight

NAME = "aw.next_step.v2"  # v2: evidence is the sentence(s), with their second
_SELF = re.compile(
    r"\b(?:I'll|I will|I'm going to|I am going to|I can|let me|I'd be happy to|"
    r"we'll|we will|we're going to|we can|I'll have|on me)\b",
    re.I,
)
_ASK = re.compile(
    r"\b(?:can you|could you|would you|will you|you'll|you will|you're going to|"
    r"you are going to|you're setting|can your|could your)\b",
    re.I,
)


def _speaker_names(ctx: MeetingContext) -> list[str]:
    return [s for s in dict.fromkeys(name for name, _ in ctx.feats.speaker_sides) if s]


def owner_of(ctx: MeetingContext, turn: int, sentence: str) -> str | None:
    """Who does it: the speaker who commits ("I'll..."), or the person asked ("Marcus, could you...")."""
    speaker = ctx.feats.speakers[turn]
    names = _speaker_names(ctx)
    ask = _ASK.search(sentence)
    if ask:
        named = [resolve_name(p, names) for p in persons(ctx.doc(turn)) if p in sentence]
        if named:
            return named[0]
        nxt = next(
            (
                ctx.feats.speakers[j]
                for j in range(turn + 1, min(turn + 3, len(ctx.feats.speakers)))
                if ctx.feats.speakers[j] != speaker
            ),
            None,
        )
        return nxt or speaker
    if _SELF.search(sentence):
        return speaker
    for mention in persons(ctx.doc(turn)):
        if re.search(rf"\b{re.escape(mention)}(?:'ll| will| is going to| can)\b", sentence):
            return resolve_name(mention, names)
    return speaker


@register(NAME)
def extract(ctx: MeetingContext) -> list[Highlight]:
    out = []
    for group in ctx.groups("next_step"):
        top = ctx.peak("next_step", group)
        action = ctx.best_span("next_step", top, max_sentences=1)
        due = due_in(action) or due_in(" ".join(ctx.feats.texts[i] for i in group))
        attrs = {"owner": owner_of(ctx, top, action), "action": action, "due": due}
        out.append(ctx.highlight("next_step", group, NAME, attributes=attrs))
    return out
