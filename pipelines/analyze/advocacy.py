"""Advocacy signals and the meeting-level flag (a win and willingness; a decline is not a signal)."""

from __future__ import annotations

import re

from pipelines.analyze.context import MeetingContext
from pipelines.analyze.registry import register
from pipelines.highlight import AdvocacyFlag, Highlight

NAME = "aw.advocacy_signal.v1"
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


def declines(text: str) -> bool:
    """The turn turns an advocacy ask down."""
    return bool(DECLINE.search(text))


def kind_of(text: str) -> str:
    low = text.lower()
    return next((kind for kind, pattern in KINDS if re.search(pattern, low)), "praise")


@register(NAME)
def extract(ctx: MeetingContext) -> list[Highlight]:
    out = []
    for group in ctx.groups("advocacy_signal"):
        top = ctx.peak("advocacy_signal", group)
        if declines(ctx.feats.texts[top]):
            continue
        window = " ".join(ctx.feats.texts[i] for i in range(max(0, top - 1), top + 1))
        attrs = {"kind": kind_of(window)}
        out.append(ctx.highlight("advocacy_signal", [top], NAME, attributes=attrs))
    return out


def flag(ctx: MeetingContext, signals: list[Highlight]) -> AdvocacyFlag:
    """True when the meeting's strongest advocacy signal clears the tuned meeting-level threshold."""
    probs = ctx.probs["advocacy_signal"]
    top = float(probs.max()) if len(probs) else 0.0
    threshold = float(ctx.heads.meta["advocacy_flag_threshold"])
    on = top >= threshold and bool(signals)
    reason = (
        f"strongest advocacy signal {top:.2f} >= {threshold:.2f}"
        if on
        else f"no advocacy signal above {threshold:.2f}"
    )
    return AdvocacyFlag(
        flag=on,
        confidence=round(top if on else 1 - top, 4),
        evidence=[h.id for h in signals] if on else [],
        reason=reason,
    )
