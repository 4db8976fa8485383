"""Which side of the table each speaker sits on: vendor (us) or customer.

Known sides come from the participant list and the account (vendor team, stakeholders). When
nothing is known the side is guessed and marked ``side_inferred``: the one speaker who runs the
meeting (speaks first, asks the most questions, mentions the agenda) is taken for the vendor,
everyone else for the customer; once a vendor speaker is known, unknown speakers are customers.
"""
from __future__ import annotations

import re

from pipelines.account import Account
from pipelines.naming import resolve
from pipelines.transcript import Participant, Side, Transcript

_RUNS_MEETING = re.compile(r"\b(agenda|recap|walk (?:you )?through|next steps|let's get started)\b", re.I)


def known_sides(transcript: Transcript, account: Account | None) -> dict[str, Side]:
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


def infer_sides(
    transcript: Transcript, speakers: list[str], sides: dict[str, Side], account: Account | None
) -> dict[str, tuple[Side, bool]]:
    """Speaker -> (side, inferred) for every speaker."""
    out: dict[str, tuple[Side, bool]] = {}
    for s in speakers:
        side = side_of(s, sides)
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
    decided = infer_sides(transcript, speakers, known_sides(transcript, account), account)
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
