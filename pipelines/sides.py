"""Which side of the table each speaker sits on: vendor (us) or customer. The one resolver, used by
the speakers stage (``assign_sides``) and by the analysis (``resolve_sides``).

Known sides come from the participant list, the turns and the account (vendor team, stakeholders),
matching full names or a unique first name. Once a vendor speaker is known, unknown speakers are
customers (marked ``side_inferred``); when none is, unknown speakers stay unknown (side None).
"""
from __future__ import annotations

from pipelines.account import Account
from pipelines.naming import resolve
from pipelines.transcript import Participant, Side, Transcript

Sides = dict[str, Side | None]


def stated_sides(transcript: Transcript, account: Account | None) -> dict[str, Side]:
    """Name -> side from the participant list, the account's vendor team and its stakeholders."""
    listed = [p for p in transcript.participants if p.side and not p.side_inferred]
    sides: dict[str, Side] = {p.name: p.side for p in listed if p.side}
    if account is not None:
        for m in account.vendor_team:
            sides.setdefault(m.name, "vendor")
        for s in account.stakeholders:
            sides.setdefault(s.name, "customer")
    return sides


def side_of(name: str, sides: dict[str, Side]) -> Side | None:
    """The side of a speaker name, matching full names or a unique first name."""
    known = resolve(name, list(sides))
    return sides[known] if known else None


def known_sides(transcript: Transcript, account: Account | None) -> Sides:
    """Every speaker (and listed participant) with the side something said, else None; a side a
    turn carries counts when it was not inferred."""
    stated = stated_sides(transcript, account)
    sides: Sides = {p.name: p.side for p in transcript.participants if p.side and not p.side_inferred}
    for name in transcript.speakers():
        sides.setdefault(name, None)
    for s in transcript.segments:
        if s.speaker and s.side and not s.side_inferred and not sides.get(s.speaker):
            sides[s.speaker] = s.side
    for name, side in sides.items():
        if side is None:
            sides[name] = side_of(name, stated)
    return sides


def resolve_sides(transcript: Transcript, account: Account | None) -> tuple[Sides, bool]:
    """Every speaker's side (None: unknown) and whether any was inferred.

    Once a speaker is known to be on the vendor side, the speakers nobody placed are taken for
    customers (inferred). When no vendor speaker is known, unknown speakers stay unknown: nothing
    says who runs the meeting, and guessing one as the vendor silenced every customer-only category
    for them (issue 15). The analysis scores such speakers as possibly customer, with less confidence.
    """
    sides = known_sides(transcript, account)
    unknown = [n for n, s in sides.items() if s is None]
    if not unknown or not any(s == "vendor" for s in sides.values()):
        return sides, False
    for name in unknown:
        sides[name] = "customer"
    return sides, True


def assign_sides(transcript: Transcript, account: Account | None) -> Transcript:
    """A copy of the transcript with side and side_inferred on every turn and participant (side None
    where nobody said it and no vendor speaker is known)."""
    sides, _ = resolve_sides(transcript, account)
    stated = {name for name, side in known_sides(transcript, account).items() if side is not None}
    decided = {name: (side, name not in stated) for name, side in sides.items() if side is not None}
    result = transcript.model_copy(deep=True)
    for seg in result.segments:
        if seg.speaker in decided:
            seg.side, seg.side_inferred = decided[seg.speaker]
    listed = {p.name for p in result.participants}
    for p in result.participants:
        if p.name in decided and (p.side is None or p.side_inferred):
            p.side, p.side_inferred = decided[p.name]
    result.participants += [
        Participant(name=s, side=decided[s][0], side_inferred=decided[s][1])
        if s in decided
        else Participant(name=s)
        for s in transcript.speakers()
        if s not in listed
    ]
    return result
