"""Stakeholder changes on the customer side, matched against the account's stakeholders by name."""

from __future__ import annotations

import re

from pipelines.analyze.context import MeetingContext
from pipelines.analyze.entities import persons, resolve_name, said_to_leave, same_person, title_in
from pipelines.analyze.registry import register
from pipelines.highlight import Highlight

NAME = "aw.stakeholder_change.v3"  # v3: evidence is the sentence(s), with their second; unknown sides
NEW_HOLDER = {"sponsor_changed", "champion_changed", "reorg"}
SAME_CHANGE_TURNS = 3  # the same person's change told again this close is one change, not two
_FIRST_PERSON = re.compile(
    r"\bI(?:'m| am|'ve been| have been| was| will|'ll| made| got)\b|\bmy (?:new )?(?:title|role|job)\b"
)


def _known(ctx: MeetingContext) -> tuple[list[str], list[str]]:
    """(customer-side names, vendor-side names) from the account and the speakers."""
    acct = ctx.account
    customer = [s.name for s in acct.stakeholders] if acct else []
    vendor = [m.name for m in acct.vendor_team] if acct else []
    for name, side in ctx.feats.speaker_sides:
        if name and side == "vendor" and name not in vendor:
            vendor.append(name)
        elif name and side == "customer" and name not in customer:
            customer.append(name)
    return customer, vendor


def people(ctx: MeetingContext, group: list[int], top: int) -> list[str]:
    """Customer-side people named in the group, the peak turn first, as full names where known."""
    customer, vendor = _known(ctx)
    order = [top] + [i for i in group if i != top]
    out: list[str] = []
    for i in order:
        for mention in persons(ctx.doc(i)) + known_mentions(ctx.feats.texts[i], customer):
            if any(same_person(mention, v) for v in vendor):
                continue
            name = resolve_name(mention, customer)
            if not any(same_person(name, o) for o in out):
                out.append(name)
    return out


def known_mentions(text: str, names: list[str]) -> list[str]:
    """Known customer-side people named in the text by first or full name (spaCy misses some names)."""
    found = []
    for name in names:
        first = name.split()[0]
        if len(first) > 2 and re.search(rf"\b{re.escape(first)}\b", text):
            found.append(name)
    return found


def _person(ctx: MeetingContext, group: list[int], top: int, change: str | None) -> str | None:
    """Whom the change is about: someone named in the peak turn, the speaker talking about
    themselves, someone named nearby, or a new customer-side speaker who just joined."""
    speaker = ctx.feats.speakers[top]
    named = [n for n in people(ctx, [top], top) if not same_person(n, speaker)]
    if named:
        return named[0]
    if _FIRST_PERSON.search(ctx.feats.texts[top]) and ctx.maybe_customer(top):
        return speaker
    nearby = [n for n in people(ctx, group, top) if not same_person(n, speaker)]
    if nearby:
        return nearby[0]
    return speaker if change == "joined" and ctx.maybe_customer(top) else None


def _words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", (text or "").lower()) if len(w) > 2} - {"the", "and"}


def _same_title(said: str | None, known: str | None) -> bool:
    """No new title said, or one sharing a content word with the title on record."""
    return not said or bool(_words(said) & _words(known))


def already_there(ctx: MeetingContext, person: str | None, title: str | None) -> bool:
    """The person is an account stakeholder already, in the same role: introducing oneself is no 'joined'."""
    if ctx.account is None or not person:
        return False
    known = next((s for s in ctx.account.stakeholders if s.name.lower() == person.lower()), None)
    return known is not None and _same_title(title, known.title or known.role)


@register(NAME)
def extract(ctx: MeetingContext) -> list[Highlight]:
    out = []
    for group in ctx.groups("stakeholder_change"):
        top = ctx.peak("stakeholder_change", group)
        change, _ = ctx.attribute("stakeholder_change.change", group)
        named = people(ctx, group, top)
        speaker = ctx.feats.speakers[top]
        person = _person(ctx, group, top, change)
        if person and said_to_leave(ctx.feats.texts[top], person):
            change = "departed"
        replaced_by = None
        if change == "departed":
            replaced_by = next((n for n in named if n != person and not same_person(n, speaker)), None)
        title = next((t for i in [top, *group] if (t := title_in(ctx.feats.texts[i]))), None)
        if change == "joined" and already_there(ctx, person, title):
            continue
        attrs = {
            "person": person,
            "change": change or "role_changed",
            "title": None if change == "departed" else title,
            "replaced_by": None if change in NEW_HOLDER else replaced_by,
        }
        out.append(ctx.highlight("stakeholder_change", group, NAME, attributes=attrs))
    return one_per_change(out)


def one_per_change(highlights: list[Highlight]) -> list[Highlight]:
    """One highlight per person per stretch of talk: a change told, then added to a few turns on
    (someone joined ... what they now own) is one change, and a turn naming nobody next to a named
    change is that story continued. The named, most confident telling is kept, with the others' turns."""
    kept: list[Highlight] = []
    for h in sorted(highlights, key=lambda h: (h.attributes.get("person") is None, -h.confidence)):
        twin = next((k for k in kept if _same_story(h, k)), None)
        if twin is None:
            kept.append(h)
        else:
            twin.turns = sorted(set(twin.turns) | set(h.turns))
    return sorted(kept, key=lambda h: h.turns[0] if h.turns else 0)


def _same_story(a: Highlight, b: Highlight) -> bool:
    """``a`` (not more confident than ``b``, or unnamed) tells ``b``'s change again nearby."""
    if not (a.turns and b.turns):
        return False
    if min(abs(i - j) for i in a.turns for j in b.turns) > SAME_CHANGE_TURNS:
        return False
    person = a.attributes.get("person")
    return person is None or _same_name(person, b.attributes.get("person"))


def _same_name(a: str | None, b: str | None) -> bool:
    """The same person: a first name and a full name sharing it, or two full names alike in full."""
    if not (a and b and same_person(a, b)):
        return False
    pa, pb = a.lower().split(), b.lower().split()
    return len(pa) == 1 or len(pb) == 1 or pa == pb
