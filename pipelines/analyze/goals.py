"""Goal shifts, linked to the account goal they change by meaning."""

from __future__ import annotations

import numpy as np

from pipelines.analyze.context import MeetingContext
from pipelines.analyze.registry import register
from pipelines.highlight import Highlight

NAME = "aw.goal_shift.v1"
LINK_MIN_SIMILARITY = 0.35


def link_goal(ctx: MeetingContext, turns: list[int]) -> tuple[str | None, float]:
    """The account goal most similar in meaning to the turns, when similar enough."""
    if ctx.account is None or not ctx.account.goals or not len(ctx.feats.goal_emb):
        return None, 0.0
    sims = ctx.feats.emb[turns] @ ctx.feats.goal_emb.T
    best = float(sims.max())
    idx = int(np.unravel_index(sims.argmax(), sims.shape)[1])
    return (ctx.account.goals[idx].id, best) if best >= LINK_MIN_SIMILARITY else (None, best)


@register(NAME)
def extract(ctx: MeetingContext) -> list[Highlight]:
    out = []
    for group in ctx.groups("goal_shift"):
        kind, _ = ctx.attribute("goal_shift.kind", group)
        goal_id, _ = link_goal(ctx, group)
        if kind == "new":
            goal_id = None
        elif goal_id is None and kind == "changed":
            kind = "new"
        top = ctx.peak("goal_shift", group)
        goal = ctx.best_span("goal_shift", top)
        attrs = {"kind": kind, "previous_goal_id": goal_id, "goal": goal}
        out.append(ctx.highlight("goal_shift", group, NAME, attributes=attrs))
    return out
