"""Which side of the table each speaker sits on: vendor (us) or customer. The one resolver, used by
the speakers stage (``assign_sides``) and by the analysis (``resolve_sides``).

Known sides come from the participant list, the turns and the account (vendor team, stakeholders),
matching full names or a unique first name. Once a vendor speaker is known, unknown speakers are
customers. When nothing is known the side is guessed and marked ``side_inferred``: the speakers
stage takes the one speaker who runs the meeting (speaks first, asks the most questions, mentions
the agenda) for the vendor; the analysis asks a trained head (``vendor_score``).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from pipelines.account import Account
from pipelines.naming import resolve
from pipelines.transcript import Participant, Side, Transcript

Sides = dict[str, Side | None]
_RUNS_MEETING = re.compile(r"\b(agenda|recap|walk (?:you )?through|next steps|let's get started)\b", re.I)


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


def resolve_sides(
    transcript: Transcript,
    account: Account | None,
    vendor_score: Callable[[str], float] | None = None,
) -> tuple[Sides, bool]:
    """Every speaker's side and whether any had to be inferred.

    Unknown speakers are inferred: when a vendor speaker or the vendor team is known, anyone else
    is a customer; otherwise ``vendor_score(speaker)`` (a trained head's mean vendor probability
    over the speaker's turns) decides, with at least one speaker on each side.
    """
    sides = known_sides(transcript, account)
    unknown = [n for n, s in sides.items() if s is None]
    if not unknown:
        return sides, False
    has_vendor = any(s == "vendor" for s in sides.values())
    if has_vendor or (account is not None and account.vendor_team):
        for name in unknown:
            sides[name] = "customer"
        return sides, True
    if vendor_score is None:
        return sides, True
    scores = {n: vendor_score(n) for n in unknown}
    for name, score in scores.items():
        sides[name] = "vendor" if score >= 0.5 else "customer"
    if (
        len(scores) > 1
        and len(set(sides[n] for n in unknown)) == 1
        and not any(sides[n] != sides[unknown[0]] for n in sides if n not in scores)
    ):
        top = max(scores, key=lambda n: scores[n])
        bottom = min(scores, key=lambda n: scores[n])
        sides[top], sides[bottom] = "vendor", "customer"
    return sides, True


def meeting_runner(transcript: Transcript, speakers: list[str]) -> str | None:
    """The speaker who most looks like the host: first to speak, most questions, agenda words."""
    score = {s: 0.0 for s in speakers}
    first = next((seg.speaker for seg in transcript.segments if seg.speaker in score), None)
    if first is not None:
        score[first] += 2.0
    for seg in transcript.segments:
        if seg.speaker in score:
            score[seg.speaker] += seg.text.count("?") + 2.0 * len(_RUNS_MEETING.findall(seg.text))
    return max(score, key=lambda s: score[s]) if score else None


def infer_sides(transcript: Transcript, account: Account | None) -> dict[str, tuple[Side, bool]]:
    """Speaker -> (side, inferred) for every speaker; without any vendor known, the host is one."""
    speakers = transcript.speakers()
    stated = stated_sides(transcript, account)
    out: dict[str, tuple[Side, bool]] = {}
    for s in speakers:
        side = side_of(s, stated)
        if side is not None:
            out[s] = (side, False)
    unknown = [s for s in speakers if s not in out]
    has_vendor = any(side == "vendor" for side, _ in out.values())
    host = None if has_vendor else meeting_runner(transcript, unknown)
    for s in unknown:
        out[s] = ("vendor" if s == host and len(speakers) > 1 else "customer", True)
    return out


def assign_sides(transcript: Transcript, account: Account | None) -> Transcript:
    """A copy of the transcript with side and side_inferred on every turn and participant."""
    speakers = transcript.speakers()
    decided = infer_sides(transcript, account)
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
        for s in speakers
        if s not in listed
    ]
    return result
