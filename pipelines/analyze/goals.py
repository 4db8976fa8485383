"""Goal shifts, linked to the account goal they change by meaning."""

from __future__ import annotations

import re

import numpy as np

from pipelines.analyze.context import MeetingContext
from pipelines.analyze.entities import asks_if_still_holds, is_question
from pipelines.analyze.registry import register
from pipelines.highlight import Highlight

NAME = "aw.goal_shift.v2"  # v2: evidence is the sentence(s), with their second; unknown sides
LINK_MIN_SIMILARITY = 0.35


def link_goal(ctx: MeetingContext, turns: list[int]) -> tuple[str | None, float]:
    """The account goal most like the turns or one of their sentences in meaning, when similar enough."""
    if ctx.account is None or not ctx.account.goals or not len(ctx.feats.goal_emb):
        return None, 0.0
    rows = [ctx.feats.emb[turns]] + [ctx.feats.turn_sentences(i)[1] for i in turns]
    sims = np.vstack(rows) @ ctx.feats.goal_emb.T  # whole turns and each of their sentences
    best = float(sims.max())
    idx = int(np.unravel_index(sims.argmax(), sims.shape)[1])
    return (ctx.account.goals[idx].id, best) if best >= LINK_MIN_SIMILARITY else (None, best)


# words that say an existing target moves ("we are raising it", "pushing the deadline", "now want")
_MOVE = (
    r"(?:rais|lower|increas|decreas|mov|push|pull|bump|tighten|loosen|extend|chang|revis|adjust|updat|"
    r"doubl|halv|cut|reset)\w*"
)
_TARGET = r"(?:it|that|this|(?:the|our|their)\s+(?:[\w-]+\s+)?(?:target|goal|deadline|bar|number|date))"
CHANGE_CUE = re.compile(
    rf"\b{_MOVE}\s+{_TARGET}\b|\b(?:revised|updated|higher|lower)\s+(?:target|goal|deadline)\b|"
    r"\bnow\s+(?:want|need|aim|expect)\b|\binstead of\b|\brather than\b",
    re.I,
)


def kind_and_link(ctx: MeetingContext, group: list[int], top: int) -> tuple[str | None, str | None]:
    """(kind, previous goal id): a 'new' goal that is like an account goal and said as a change of
    it is that goal changed; a change without any similar account goal is new."""
    kind, _ = ctx.attribute("goal_shift.kind", group)
    goal_id, _ = link_goal(ctx, group)
    if kind == "new" and goal_id is not None and CHANGE_CUE.search(ctx.feats.texts[top]):
        kind = "changed"
    if kind == "new":
        goal_id = None
    elif goal_id is None and kind == "changed":
        kind = "new"
    return kind, goal_id


def checks_not_changes(ctx: MeetingContext, turn: int) -> bool:
    """A question whether a goal still holds, or a vendor-side question: it asks, it shifts nothing."""
    last = ctx.feats.sentences[turn][-1]
    return is_question(last) and (asks_if_still_holds(last) or ctx.feats.sides[turn] == "vendor")


@register(NAME)
def extract(ctx: MeetingContext) -> list[Highlight]:
    out = []
    questions = {i for i in range(len(ctx.feats.texts)) if checks_not_changes(ctx, i)}
    for group in ctx.groups("goal_shift", skip=questions):
        top = ctx.peak("goal_shift", group)
        kind, goal_id = kind_and_link(ctx, group, top)
        goal = ctx.best_span("goal_shift", top)
        attrs = {"kind": kind, "previous_goal_id": goal_id, "goal": goal}
        out.append(ctx.highlight("goal_shift", group, NAME, attributes=attrs))
    return out
