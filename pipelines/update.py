"""The update stage: highlights + the stored account record -> an account update (a diff), and back.

This is the one place that knows how the account record changes. Every change is a "set this
item to that value" with the value it replaces, so applying an update twice changes nothing the
second time, and a rejected highlight's changes can be taken back out as a new diff.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field

from pipelines.account_state import (
    COLLECTIONS,
    AccountState,
    AdvocacyItem,
    Provenance,
    Sourced,
)
from pipelines.highlight import Analysis, Highlight

__all__ = [
    "GOAL_KINDS", "STAKEHOLDER_KINDS", "AccountState", "AccountUpdate", "Change", "Provenance",
    "apply_update", "build_update", "rejection_key", "revert_highlight",
]

ChangeKind = Literal[
    "goal_added", "goal_changed", "goal_dropped", "goal_reprioritized",
    "stakeholder_joined", "stakeholder_departed", "stakeholder_role_changed",
    "sponsor_changed", "champion_changed", "stakeholder_reorg",
    "risk_opened", "quote_added", "expansion_signal", "next_step",
    "advocacy_flag", "reverted",
]
GOAL_KINDS: tuple[ChangeKind, ...] = ("goal_added", "goal_changed", "goal_dropped", "goal_reprioritized")
"""Changes of the customer's goals (goal shifts)."""
STAKEHOLDER_KINDS: tuple[ChangeKind, ...] = (
    "stakeholder_joined", "stakeholder_departed", "stakeholder_role_changed", "sponsor_changed",
    "champion_changed", "stakeholder_reorg")
"""Changes of the customer's people (stakeholder changes)."""


class Change(BaseModel):
    """Set one item of the record (``collection``/``key``) from ``before`` to ``after``."""

    id: str
    kind: ChangeKind
    collection: str = Field(description="goals, stakeholders, risks, value_quotes, "
                            "expansion_signals, next_steps or advocacy")
    key: str | None = Field(default=None, description="the item's id (name for stakeholders)")
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = Field(default=None, description="None: the item is removed")
    source: Provenance
    summary: str


class AccountUpdate(BaseModel):
    """What one meeting (or one review decision) changes in the account record."""

    account_id: str
    meeting_id: str | None = None
    changes: list[Change] = Field(default_factory=list)
    rejected_highlights: list[str] = Field(
        default_factory=list,
        description="highlights rejected by this update, as `<meeting id>/<highlight id>`")

    @property
    def empty(self) -> bool:
        return not self.changes and not self.rejected_highlights

    def of_kind(self, *kinds: str) -> list[Change]:
        return [c for c in self.changes if c.kind in kinds]

    @property
    def advocacy_changed(self) -> bool:
        return bool(self.of_kind("advocacy_flag")) or any(
            c.collection == "advocacy" for c in self.of_kind("reverted"))


# ---------------------------------------------------------------- helpers

def _provenance(h: Highlight, meeting_id: str) -> Provenance:
    quote = h.attributes.get("quote") if h.category == "value_quote" else None
    return Provenance(meeting_id=meeting_id, highlight_id=h.id, quote=quote or h.evidence,
                      speaker=h.speaker, start=h.start, end=h.end, turns=list(h.turns),
                      confidence=h.confidence,
                      extractor=h.extractor)


def _text(h: Highlight, *names: str) -> str:
    """The first non-empty attribute of ``names``, else the evidence."""
    for n in names:
        v = h.attributes.get(n)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return h.evidence.strip()


def _attr(h: Highlight, name: str) -> str | None:
    v = h.attributes.get(name)
    return str(v) if v not in (None, "") else None


def _item(state: AccountState, collection: str, key: str) -> Sourced | None:
    if collection == "advocacy":
        return state.advocacy
    _, key_field = COLLECTIONS[collection]
    for it in getattr(state, collection):
        if str(getattr(it, key_field)).casefold() == key.casefold():
            return it
    return None


def _dump(item: Sourced | None) -> dict[str, Any] | None:
    return None if item is None else item.model_dump(mode="json")


def _strip(d: dict[str, Any] | None) -> dict[str, Any] | None:
    """An item's value without its own history, to store as the next item's ``previous``."""
    return None if d is None else {k: v for k, v in d.items() if k != "previous"}


def rejection_key(meeting_id: str, highlight_id: str) -> str:
    """How a rejected highlight is recorded: highlight ids are only unique within a meeting."""
    return f"{meeting_id}/{highlight_id}"


def _change_id(prov: Provenance, kind: str, collection: str, key: str | None) -> str:
    raw = f"{prov.meeting_id}|{prov.highlight_id}|{kind}|{collection}|{key}"
    return "c_" + hashlib.sha1(raw.encode()).hexdigest()[:16]


class _Builder:
    """Builds changes against a working copy, so two highlights touching one item compose."""

    def __init__(self, state: AccountState, meeting_id: str) -> None:
        self.state = state.model_copy(deep=True)
        self.meeting_id = meeting_id
        self.changes: list[Change] = []

    def set(self, kind: ChangeKind, collection: str, key: str, prov: Provenance, note: str, /,
            **fields: Any) -> None:
        """Set ``fields`` on the item (created when missing); no change when nothing differs."""
        current = _item(self.state, collection, key)
        before = _dump(current)
        base = dict(before or {})
        if collection != "advocacy":
            base.setdefault(COLLECTIONS[collection][1], key)
        merged = {**base, **fields}
        if before is not None and all(before.get(k) == v for k, v in merged.items()
                                      if k not in ("source", "previous")):
            return
        merged.update(source=prov.model_dump(mode="json"), previous=_strip(before))
        change = Change(id=_change_id(prov, kind, collection, key), kind=kind, collection=collection,
                        key=None if collection == "advocacy" else key, before=before, after=merged,
                        source=prov, summary=note)
        self.changes.append(change)
        _apply_change(self.state, change)


# ---------------------------------------------------------------- per category

def _goal(b: _Builder, h: Highlight, prov: Provenance) -> None:
    kind = h.attributes.get("kind") or "new"
    prev_id = h.attributes.get("previous_goal_id")
    prev = _item(b.state, "goals", str(prev_id)) if prev_id else None
    text = _text(h, "goal")
    if prev is None or kind == "new":
        b.set("goal_added", "goals", f"g-{h.id.removeprefix('h_')[:8]}", prov, f"new goal: {text}",
              text=text, status="new")
    elif kind == "dropped":
        b.set("goal_dropped", "goals", prev.id, prov, f"goal dropped: {prev.text}",  # type: ignore[attr-defined]
              status="dropped")
    elif kind == "reprioritized":
        priority = h.attributes.get("priority")
        b.set("goal_reprioritized", "goals", prev.id, prov, f"goal reprioritized: {prev.text}",  # type: ignore[attr-defined]
              status="reprioritized", priority=int(str(priority)) if str(priority).isdigit() else 1)
    else:
        b.set("goal_changed", "goals", prev.id, prov, f"goal changed: {text}",  # type: ignore[attr-defined]
              text=text, status="changed")


def _holder_swap(b: _Builder, kind: ChangeKind, role: str, person: str, prov: Provenance) -> None:
    """``person`` takes ``role``; whoever held it before loses it."""
    for s in list(b.state.stakeholders):
        if s.role == role and s.name.casefold() != person.casefold():
            b.set(kind, "stakeholders", s.name, prov, f"{s.name} is no longer {role}", role=None)
    b.set(kind, "stakeholders", person, prov, f"{person} is now {role}", role=role, active=True)


def _stakeholder(b: _Builder, h: Highlight, prov: Provenance) -> None:
    spoken = _attr(h, "person")
    if not spoken:  # "a new VP of Procurement joined": keep the seat by its title
        title = _attr(h, "title")
        if not title or h.attributes.get("change") not in ("joined", "role_changed", "reorg"):
            return
        spoken = f"(unnamed) {title}"
    known = b.state.find_stakeholder(spoken)
    person = known.name if known else spoken
    change, title = h.attributes.get("change"), _attr(h, "title")
    titled = {"title": title} if title else {}
    if change == "departed":
        successor = _attr(h, "replaced_by")
        b.set("stakeholder_departed", "stakeholders", person, prov, f"{person} departed",
              active=False, replaced_by=successor)
        if successor:
            role = known.role if known else None
            b.set("stakeholder_joined", "stakeholders", successor, prov,
                  f"{successor} replaces {person}", active=True, role=role)
    elif change == "sponsor_changed":
        _holder_swap(b, "sponsor_changed", "executive_sponsor", person, prov)
        if title:
            b.set("sponsor_changed", "stakeholders", person, prov, f"{person}: {title}", **titled)
    elif change == "champion_changed":
        _holder_swap(b, "champion_changed", "champion", person, prov)
        if title:
            b.set("champion_changed", "stakeholders", person, prov, f"{person}: {title}", **titled)
    elif change in ("role_changed", "reorg"):
        kind: ChangeKind = "stakeholder_role_changed" if change == "role_changed" else "stakeholder_reorg"
        b.set(kind, "stakeholders", person, prov, f"{person}: {title or change}", active=True, **titled)
    else:
        b.set("stakeholder_joined", "stakeholders", person, prov,
              f"{person} joined" + (f" as {title}" if title else ""), active=True, **titled)


def _keyed(prefix: str, h: Highlight) -> str:
    return f"{prefix}-{h.id.removeprefix('h_')}"


def _risk(b: _Builder, h: Highlight, prov: Provenance) -> None:
    summary = _text(h, "summary")
    b.set("risk_opened", "risks", _keyed("r", h), prov, f"risk ({h.attributes.get('severity', '?')}): "
          f"{summary}", summary=summary, category=h.attributes.get("category") or "other",
          severity=h.attributes.get("severity") or "medium", status="open")


def _quote(b: _Builder, h: Highlight, prov: Provenance) -> None:
    quote = _text(h, "quote")
    b.set("quote_added", "value_quotes", _keyed("q", h), prov, f'value quote: "{quote}"',
          quote=quote, speaker=h.speaker, value_type=_attr(h, "value_type"), metric=_attr(h, "metric"))


def _expansion(b: _Builder, h: Highlight, prov: Provenance) -> None:
    summary = _text(h, "summary")
    b.set("expansion_signal", "expansion_signals", _keyed("x", h), prov, f"expansion: {summary}",
          summary=summary)


def _next_step(b: _Builder, h: Highlight, prov: Provenance) -> None:
    action, owner = _text(h, "action"), _attr(h, "owner")
    b.set("next_step", "next_steps", _keyed("n", h), prov,
          f"next step: {action}" + (f" ({owner})" if owner else ""),
          action=action, owner=owner, due=_attr(h, "due"))


HANDLERS: dict[str, Callable[[_Builder, Highlight, Provenance], None]] = {
    "goal_shift": _goal,
    "stakeholder_change": _stakeholder,
    "risk": _risk,
    "value_quote": _quote,
    "expansion_signal": _expansion,
    "next_step": _next_step,
}


def _advocacy(b: _Builder, analysis: Analysis) -> None:
    """A meeting with a signal raises the flag (with its evidence); a meeting without one leaves it
    as it is: the flag comes down when the ask is recorded or it expires (see pipelines/advocacy_ask)."""
    adv = analysis.advocacy
    if not adv.flag:
        return
    by_id = {h.id: h for h in analysis.highlights}
    signals = [_provenance(by_id[i], analysis.meeting_id) for i in adv.evidence if i in by_id]
    signals = signals or [_provenance(h, analysis.meeting_id) for h in analysis.highlights
                          if h.category == "advocacy_signal"]
    prov = signals[0] if signals else Provenance(meeting_id=analysis.meeting_id, quote=adv.reason)
    b.set("advocacy_flag", "advocacy", "advocacy", prov, f"advocacy flag raised: {adv.reason}".strip(),
          flag=adv.flag, confidence=adv.confidence, reason=adv.reason,
          signals=[s.model_dump(mode="json") for s in signals])


# ---------------------------------------------------------------- public API

def build_update(analysis: Analysis, state: AccountState) -> AccountUpdate:
    """The diff that one meeting's analysis makes to the record (empty if already applied)."""
    b = _Builder(state, analysis.meeting_id)
    rejected = set(state.rejected_highlights)
    for h in analysis.highlights:
        handler = HANDLERS.get(h.category)
        if handler and rejection_key(analysis.meeting_id, h.id) not in rejected:
            handler(b, h, _provenance(h, analysis.meeting_id))
    _advocacy(b, analysis)
    return AccountUpdate(account_id=state.account_id, meeting_id=analysis.meeting_id, changes=b.changes)


def _apply_change(state: AccountState, change: Change) -> None:
    if change.collection == "advocacy":
        state.advocacy = AdvocacyItem.model_validate(change.after or {})
        return
    item_type, key_field = COLLECTIONS[change.collection]
    items: list[Any] = getattr(state, change.collection)
    key = (change.key or "").casefold()
    at = next((k for k, it in enumerate(items) if str(getattr(it, key_field)).casefold() == key), None)
    if change.after is None:
        if at is not None:
            del items[at]
    elif at is None:
        items.append(item_type.model_validate(change.after))
    else:
        items[at] = item_type.model_validate(change.after)


def apply_update(state: AccountState, update: AccountUpdate) -> AccountState:
    """A new state with the update applied (the input is not modified); idempotent."""
    new = state.model_copy(deep=True)
    for change in update.changes:
        _apply_change(new, change)
    if update.meeting_id and update.meeting_id not in new.meetings:
        new.meetings.append(update.meeting_id)
    for hid in update.rejected_highlights:
        if hid not in new.rejected_highlights:
            new.rejected_highlights.append(hid)
    return new


def _revert_change(collection: str, key: str | None, item: Sourced, hid: str, why: str) -> Change:
    assert item.source is not None
    before = _dump(item)
    after = item.previous
    if collection == "advocacy":
        after = after or AdvocacyItem().model_dump(mode="json")
    return Change(id=_change_id(item.source, "reverted", collection, key), kind="reverted",
                  collection=collection, key=key, before=before, after=after,
                  source=item.source, summary=f"{why} highlight {hid}: {collection} "
                  f"{key or ''} restored".replace("  ", " "))


def revert_highlight(state: AccountState, meeting_id: str, highlight_id: str,
                     why: str = "rejected") -> AccountUpdate:
    """A new diff that takes a rejected highlight of one meeting back out of the record (the same
    highlight id in another meeting is another highlight and stays); ``why`` words the history
    ("edited" when an edit takes the old change out before making it again)."""

    def ours(p: Provenance | None) -> bool:
        return p is not None and p.meeting_id == meeting_id and p.highlight_id == highlight_id

    changes: list[Change] = []
    for collection, (_, key_field) in COLLECTIONS.items():
        for item in getattr(state, collection):
            if ours(item.source):
                changes.append(_revert_change(collection, str(getattr(item, key_field)), item,
                                              highlight_id, why))
    adv = state.advocacy
    if adv.source and (ours(adv.source) or any(ours(s) for s in adv.signals)):
        rest = [s for s in adv.signals if not ours(s)]
        if rest and adv.flag:
            after = {**adv.model_dump(mode="json"), "signals": [s.model_dump(mode="json") for s in rest],
                     "source": rest[0].model_dump(mode="json")}
            changes.append(Change(id=_change_id(adv.source, "reverted", "advocacy", highlight_id),
                                  kind="reverted", collection="advocacy", before=_dump(adv), after=after,
                                  source=adv.source, summary=f"{why} highlight {highlight_id}: "
                                  "advocacy signal removed"))
        else:
            changes.append(_revert_change("advocacy", None, adv, highlight_id, why))
    return AccountUpdate(account_id=state.account_id, changes=changes,
                         rejected_highlights=[rejection_key(meeting_id, highlight_id)])
