"""Stakeholder changes on the customer side, matched against the account's stakeholders by name."""

from __future__ import annotations

from pipelines.analyze.context import MeetingContext
from pipelines.analyze.entities import persons, resolve_name, same_person, title_in
from pipelines.analyze.registry import register
from pipelines.highlight import Highlight

NAME = "aw.stakeholder_change.v1"
NEW_HOLDER = {"sponsor_changed", "champion_changed", "reorg"}


def _known(ctx: MeetingContext) -> tuple[list[str], list[str]]:
    """(customer-side names, vendor-side names) from the account and the speakers."""
    acct = ctx.account
    customer = [s.name for s in acct.stakeholders] if acct else []
    vendor = [m.name for m in acct.vendor_team] if acct else []
    for name, side in zip(ctx.feats.speakers, ctx.feats.sides, strict=True):
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
        for mention in persons(ctx.doc(i)):
            if any(same_person(mention, v) for v in vendor):
                continue
            name = resolve_name(mention, customer)
            if not any(same_person(name, o) for o in out):
                out.append(name)
    return out


@register(NAME)
def extract(ctx: MeetingContext) -> list[Highlight]:
    out = []
    for group in ctx.groups("stakeholder_change"):
        top = ctx.peak("stakeholder_change", group)
        change, _ = ctx.attribute("stakeholder_change.change", group)
        named = people(ctx, group, top)
        speaker = ctx.feats.speakers[top]
        others = [n for n in named if not same_person(n, speaker)]
        person = (others or named or [None])[0]
        if person is None and change == "joined" and ctx.feats.sides[top] == "customer":
            person = speaker
        replaced_by = None
        if change == "departed":
            replaced_by = next((n for n in named if n != person and not same_person(n, speaker)), None)
        title = next((t for i in [top, *group] if (t := title_in(ctx.feats.texts[i]))), None)
        attrs = {
            "person": person,
            "change": change or "role_changed",
            "title": None if change == "departed" else title,
            "replaced_by": None if change in NEW_HOLDER else replaced_by,
        }
        out.append(ctx.highlight("stakeholder_change", group, NAME, attributes=attrs))
    return out
