"""Advocacy signals and the meeting-level flag (a win and willingness; a decline is not a signal).

The rules are general English patterns written from the category's definition (SCHEMA.md: agreeing
or offering to be a reference, case study, review, referral, testimonial, speaking slot; a decline is
no signal) and tested on sentences written for the tests; none quotes a corpus meeting.
"""

from __future__ import annotations

import re

from pipelines.analyze.context import MeetingContext
from pipelines.analyze.entities import is_question
from pipelines.analyze.registry import register
from pipelines.highlight import AdvocacyFlag, Highlight

# v2: strong quantified praise is a signal, praise on a condition is not, and a signal a rule ruled in is
# as confident as the decision threshold (v1 changed this way without a new version).
# v3: the praise rule and the decline phrases taken from corpus meetings are gone; an explicit offer
# ("I'd be glad to be a reference") is ruled in; a decline is a refusal of an advocacy act; evidence is
# the sentence(s), with their own second.
NAME = "aw.advocacy_signal.v3"
FLAG_NAME = "aw.advocacy_flag.v2"
# kind of advocacy by the words that name it; "praise" when none is named
KINDS = (
    ("case_study", r"case stud|write-?up|success story"),
    ("testimonial", r"testimonial|video|quote (?:us|me)|put my name"),
    ("review", r"\breview\b|\bg2\b|gartner|capterra|rating"),
    ("speaking", r"\bspeak|panel|conference|webinar|summit|keynote|user group|on stage|present at"),
    ("reference", r"\breference|take (?:a|the|their) call|hop on a call|talk to (?:them|other|prospects)"),
    ("referral", r"\breferr?al|\brefer (?:you|them)|introduc|\bintro\b|connect you|put you in touch"),
)
# an advocacy act named in a sentence: what an offer offers and what a decline refuses
_ACT = (
    r"(?:references?|case stud\w*|testimonials?|(?:a|an|the|our|your) (?:\w+ )?reviews?|reviews? (?:on|for)|"
    r"referrals?|refer(?:ring)? (?:you|them|others)|recommend(?:ing)? (?:you|it|this|them)|"
    r"speak(?:ing)? (?:at|on)|speaking (?:slot|spot)|panels?|webinars?|keynotes?|conference(?! call)s?|"
    r"logos?|endors\w*|quote (?:us|me)|(?:go|talk|say \w+) public\w*|publicly|vouch\w*|"
    r"take (?:a|the|their) calls?|hop on a call|"
    r"talk to (?:your )?(?:prospects|other (?:customers|clients|buyers)))"
)
# willingness said in so many words by the speaker ("we'd be glad to", "happy to", "count me in"), then an
# advocacy act in the same sentence; "would you be open to ..." asks, it does not offer
_WILLING = r"(?:happy|glad|willing|delighted|keen|pleased|open|love|like|want) to\b"
OFFER = re.compile(
    r"(?:\b(?:i|we)(?:'m|'re| am| are|'d| would|'ll| will)?(?: be)?(?: \w+ly| so| more than| very| really)? "
    + _WILLING
    + r"|(?:^|[,;:]\s*)(?:(?:yes|sure|absolutely|definitely|of course),?\s+)?(?:more than )?"
    + _WILLING
    + r"|\bcount (?:me|us) in\b|\bsign (?:me|us) up\b|\bput (?:me|us) down\b|"
    r"\b(?:i|we)(?:'d| would| can| could|'ll| will)(?: \w+ly)? "
    r"(?=(?:be|do|give|write|share|speak|join|refer|recommend|vouch|take|talk|hop|leave|host|present)\b))"
    r"[^.!?]*?\b" + _ACT,
    re.I,
)
# a refusal: a refusing verb, or a negation shortly before an advocacy act or the verb that does it
DECLINE = re.compile(
    r"\b(?:declin\w*|refus\w*|turn(?:ing)? (?:it|that|this|them) down|pass(?:ing)? on|say no|rather not|"
    r"policy (?:against|not to)|(?:not|never|no|can't|cannot|won't|wouldn't|couldn't|don't|do not) "
    r"(?:\w+ ){0,4}?(?:be (?:a |your )?|do (?:a |any )?|give (?:a |any )?|allowed to |able to )?"
    + _ACT
    + r")",
    re.I,
)
# willingness on a condition ("if ..., then ...") is a hypothetical, not willingness
_CONDITIONAL = re.compile(r"^\W*(?:\w+\W+){0,2}(?:if|assuming|provided)\b", re.I)


def offers(sentence: str) -> bool:
    """The sentence offers or agrees to an advocacy act in the first person (not asking, not refusing)."""
    return bool(OFFER.search(sentence)) and not is_question(sentence) and not declines(sentence)


def conditional(text: str) -> bool:
    """The turn opens on a condition ("If it ships on time, ...")."""
    return bool(_CONDITIONAL.search(text))


def declines(text: str) -> bool:
    """The turn turns an advocacy ask down."""
    return bool(DECLINE.search(text))


def kind_of(text: str) -> str:
    low = text.lower()
    return next((kind for kind, pattern in KINDS if re.search(pattern, low)), "praise")


def offered(ctx: MeetingContext) -> set[int]:
    """Turns of a possible customer with a sentence that offers an advocacy act (not on a condition)."""
    return {
        i
        for i, sents in enumerate(ctx.feats.sentences)
        if ctx.maybe_customer(i) and any(offers(s) and not conditional(s) for s in sents)
    }


@register(NAME)
def extract(ctx: MeetingContext) -> list[Highlight]:
    out = []
    offer = offered(ctx)
    for group in ctx.groups("advocacy_signal", add=offer):
        top = ctx.peak("advocacy_signal", group)
        text = ctx.feats.texts[top]
        window = " ".join(ctx.feats.texts[i] for i in range(max(0, top - 1), top + 1))
        attrs = {"kind": kind_of(window)}
        if declines(text) or (attrs["kind"] == "praise" and conditional(text)):
            continue
        out.append(ctx.highlight("advocacy_signal", [top], NAME, attributes=attrs, ruled_in=offer))
    return out


def flag(ctx: MeetingContext, signals: list[Highlight]) -> AdvocacyFlag:
    """True when a signal (declines and conditional praise already dropped) clears the tuned
    meeting-level threshold."""
    top = max((h.confidence for h in signals), default=0.0)
    threshold = float(ctx.heads.meta["advocacy_flag_threshold"])
    on = top >= threshold
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
