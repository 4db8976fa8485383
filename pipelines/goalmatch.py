"""Which account goal a piece of text serves, by the content words they share."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipelines.account_state import GoalItem

STOPWORDS = frozenset(
    """
a an and are as at be been but by can do for from get go going got had has have how i if in into is it
its just like me more most much my need no not of on or our out over so some than that the their them
then there these they this to too up us very was we were what when where which while who will with
would you your yeah um uh okay well also really all any each every per by end year years month months
week weeks quarter day days time team teams people percent number new next last first want wants make
thing things lot kind sort actually something
""".split()
)


def stems(text: str) -> set[str]:
    """Content words of ``text``, lower-cased and with plural/verb endings cut."""
    out = set()
    for w in re.findall(r"[a-z][a-z0-9-]+(?:'[a-z]+)?", text.lower().replace("\u2019", "'")):
        w = w.split("'")[0].strip("-")  # "we've" -> "we"
        if len(w) < 3 or w in STOPWORDS:
            continue
        for suffix in ("ing", "ies", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[: -len(suffix)]
                break
        out.add(w)
    return out


def goal_words(goal: GoalItem) -> set[str]:
    """A goal's content words, with those of the text it replaced (a changed goal keeps its subject)."""
    before = (goal.previous or {}).get("text")
    return stems(goal.text) | (stems(before) if isinstance(before, str) else set())


def shared(text: str, goal: GoalItem) -> set[str]:
    return stems(text) & goal_words(goal)


def overlap(a: str, b: str) -> int:
    """How many content words two texts share."""
    return len(stems(a) & stems(b))


def goal_for(text: str, goals: Sequence[GoalItem]) -> GoalItem | None:
    """The live goal ``text`` serves: the one whose distinctive words it shares most (a word found in
    n of the goals counts 1/n), with at least one whole word's worth; else None."""
    live = [g for g in goals if g.status != "dropped"]
    words = [goal_words(g) for g in live]
    said = stems(text)

    def score(k: int) -> float:
        return sum(1 / sum(w in other for other in words) for w in said & words[k])

    best = max(range(len(live)), key=lambda k: (score(k), -k), default=None)
    return live[best] if best is not None and score(best) >= 1 else None
