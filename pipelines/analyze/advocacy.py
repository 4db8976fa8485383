"""Advocacy signals and the meeting-level flag (a win and willingness; a decline is not a signal)."""

from __future__ import annotations

import re

from pipelines.analyze.context import MeetingContext
from pipelines.analyze.registry import register
from pipelines.highlight import AdvocacyFlag, Highlight

# v2: strong quantified praise is a signal, praise on a condition is not, and a signal a rule ruled in is
# as confident as the decision threshold (v1 changed this way without a new version)
NAME = "aw.advocacy_signal.v2"
FLAG_NAME = "aw.advocacy_flag.v1"
# kind of advocacy by the words that name it; "praise" when none is named
KINDS = (
    ("case_study", r"case stud|write-?up|success story"),
    ("testimonial", r"testimonial|video|quote (?:us|me)|put my name"),
    ("review", r"\breview\b|\bg2\b|gartner|capterra|rating"),
    ("speaking", r"\bspeak|panel|conference|webinar|summit|keynote|user group|on stage|present at"),
    ("reference", r"\breference|take (?:a|the|their) call|hop on a call|talk to (?:them|other|prospects)"),
    ("referral", r"\breferr?al|\brefer (?:you|them)|introduc|\bintro\b|connect you|put you in touch"),
)

# a customer turning an ask down: by definition not a signal (SCHEMA.md: "a decline is not a signal")
DECLINE = re.compile(
    r"\b(?:pass on|say no|have to decline|(?:can't|cannot|won't|couldn't) (?:do|be|commit|put|go)|"
    r"not (?:able|allowed|comfortable|in a position)|policy against|(?:don't|do not) endorse|"
    r"no (?:case stud|references?|testimonials?|logo|speaking))",
    re.I,
)


# strong praise in superlatives ("the best money we spent this year", "never seen a project do that")
STRONG_PRAISE = re.compile(
    r"\bbest (?:\w+ ){0,2}(?:we(?:'ve| have)? (?:ever )?(?:bought|spent|made|done|had)|thing|money|"
    r"investment|decision|purchase|tool|project|rollout|vendor|partner)|\bnever seen\b|\bgame[- ]?changer\b|"
    r"\bblown away\b|\b(?:couldn't|could not) be happier\b|\bexceeded (?:our|my|every)\b|"
    r"\bcan't imagine (?:going back|working without)\b|"
    r"\b(?:huge|massive|incredible|amazing|tremendous) (?:win|success|difference|impact)\b",
    re.I,
)
_QUANTITY = re.compile(
    r"\d|\b(?:percent|half|double|twice|triple|hundred|thousand|million|two|three|four|five|six|seven|"
    r"eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b",
    re.I,
)
# praise on a condition ("if that's real, that helps a lot") is a hypothetical, not willingness
_CONDITIONAL = re.compile(r"^\W*(?:\w+\W+){0,2}(?:if|assuming|provided)\b", re.I)


def quantified_praise(text: str) -> bool:
    """Strong praise with a number in it: a win the CSM should follow up with an ask."""
    return bool(STRONG_PRAISE.search(text) and _QUANTITY.search(text))


def conditional(text: str) -> bool:
    """The turn opens on a condition ("Okay, if that's real, ...")."""
    return bool(_CONDITIONAL.search(text))


def declines(text: str) -> bool:
    """The turn turns an advocacy ask down."""
    return bool(DECLINE.search(text))


def kind_of(text: str) -> str:
    low = text.lower()
    return next((kind for kind, pattern in KINDS if re.search(pattern, low)), "praise")


@register(NAME)
def extract(ctx: MeetingContext) -> list[Highlight]:
    out = []
    praised = {i for i in range(len(ctx.feats.texts)) if customer_praise(ctx, i)}
    for group in ctx.groups("advocacy_signal", add=praised):
        top = ctx.peak("advocacy_signal", group)
        text = ctx.feats.texts[top]
        window = " ".join(ctx.feats.texts[i] for i in range(max(0, top - 1), top + 1))
        attrs = {"kind": kind_of(window)}
        if declines(text) or (attrs["kind"] == "praise" and conditional(text)):
            continue
        out.append(ctx.highlight("advocacy_signal", [top], NAME, attributes=attrs, ruled_in=praised))
    return out


def customer_praise(ctx: MeetingContext, turn: int) -> bool:
    return ctx.feats.sides[turn] == "customer" and quantified_praise(ctx.feats.texts[turn])


def flag(ctx: MeetingContext, signals: list[Highlight]) -> AdvocacyFlag:
    """True when a signal (declines and conditional praise already dropped) clears the tuned
    meeting-level threshold, or the customer gives strong quantified praise."""
    top = max((h.confidence for h in signals), default=0.0)
    threshold = float(ctx.heads.meta["advocacy_flag_threshold"])
    praise = any(customer_praise(ctx, h.turns[0]) for h in signals)
    on = top >= threshold or praise
    reason = (
        "strong quantified praise"
        if praise and top < threshold
        else f"strongest advocacy signal {top:.2f} >= {threshold:.2f}"
        if on
        else f"no advocacy signal above {threshold:.2f}"
    )
    return AdvocacyFlag(
        flag=on,
        confidence=round(top if on else 1 - top, 4),
        evidence=[h.id for h in signals] if on else [],
        reason=reason,
    )
