"""Which side of the table each speaker sits on: from the transcript, the account, or inferred."""

from __future__ import annotations

from collections.abc import Callable

from pipelines.account import Account
from pipelines.transcript import Transcript

Sides = dict[str, str | None]


def known_sides(transcript: Transcript, account: Account | None) -> Sides:
    """Sides said by the transcript (segments, participants) or the account's vendor team and stakeholders."""
    sides: Sides = {name: None for name in transcript.speakers()}
    for p in transcript.participants:
        if p.side and not p.side_inferred:
            sides[p.name] = p.side
    for s in transcript.segments:
        if s.speaker and s.side and not s.side_inferred and not sides.get(s.speaker):
            sides[s.speaker] = s.side
    if account is not None:
        vendor = {m.name.lower() for m in account.vendor_team}
        customer = {m.name.lower() for m in account.stakeholders}
        for name, side in sides.items():
            if side is None and name.lower() in vendor:
                sides[name] = "vendor"
            elif side is None and name.lower() in customer:
                sides[name] = "customer"
    return sides


def resolve_sides(
    transcript: Transcript,
    account: Account | None,
    vendor_score: Callable[[str], float] | None = None,
) -> tuple[Sides, bool]:
    """Every speaker's side and whether any had to be inferred.

    Unknown speakers are inferred: when the vendor team is known, anyone outside it is a
    customer; otherwise ``vendor_score(speaker)`` (a trained head's mean vendor probability
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
