"""Naming voice clusters: self-introductions, names used to address the next speaker, voice
profiles, and elimination against the participant list."""
from __future__ import annotations

import re

import numpy as np
from scipy.optimize import linear_sum_assignment

from pipelines.transcript import Segment

INTRO_VOTE = 2.0
"""Weight of "this is Dana" / "I'm Dana" / "my name is Dana" said by the speaker."""
PROFILE_VOTE = 1.5
"""Weight of a voice profile match."""
ADDRESS_VOTE = 0.5
"""Weight of "thanks, Dana." for the next speaker (people often answer when named)."""
MIN_SCORE = 1.0
"""Evidence a cluster needs to take a name: an introduction, a profile, or two addresses."""

_NAME = r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
INTRO = re.compile(rf"\b(?:[Tt]his is|[Mm]y name is|[Mm]y name's|I am|I'm|I’m)\s+{_NAME}")
HERE = re.compile(rf"^\W*(?:(?:[Hh]i|[Hh]ello|[Hh]ey)\W+)?(?:it's\s+)?{_NAME}\s+here\b")
_VOCATIVE = (
    r"(?:^|[.!?]\s+){name}\s*,",  # "Dana, what do you think?"
    r",\s*{name}\s*[.?!]",  # "how about you, Dana?"
    r"\b(?:[Tt]hanks|[Tt]hank you|[Hh]i|[Hh]ey|[Hh]ello|[Gg]ood morning)\s*,?\s*{name}\b",
)


def resolve(name: str, candidates: list[str]) -> str | None:
    """The candidate a spoken name refers to: full name, or a first name only one candidate has."""
    said = name.casefold().strip()
    for c in candidates:
        if c.casefold() == said:
            return c
    first = said.split()[0]
    hits = [c for c in candidates if c.split() and c.split()[0].casefold() == first]
    return hits[0] if len(hits) == 1 else None


def introduced_names(text: str, candidates: list[str]) -> list[str]:
    """Names a speaker gives for themself; unknown names only when spaCy tags them PERSON."""
    found = [m.group("name") for m in INTRO.finditer(text)] + [m.group("name") for m in HERE.finditer(text)]
    out = []
    for name in found:
        known = resolve(name, candidates)
        if known:
            out.append(known)
        elif _is_person(text, name):
            out.append(name)
    return out


def addressed_names(text: str, candidates: list[str]) -> list[str]:
    """Known participants addressed by name ("Thanks, Dana." / "Dana, what do you think?")."""
    out = []
    for candidate in candidates:
        spoken = "|".join(re.escape(n) for n in dict.fromkeys([candidate, candidate.split()[0]]))
        if any(re.search(p.format(name=f"(?:{spoken})"), text) for p in _VOCATIVE):
            if resolve(candidate.split()[0], candidates) == candidate:
                out.append(candidate)
    return out


def _is_person(text: str, name: str) -> bool:
    from models.nlp import parse

    doc = parse([text])[0]
    return any(ent.label_ == "PERSON" and name.split()[0] in ent.text for ent in doc.ents)


def name_votes(turns: list[Segment], candidates: list[str]) -> dict[str, dict[str, float]]:
    """Label -> name -> score from introductions and from being addressed by the previous speaker."""
    votes: dict[str, dict[str, float]] = {}
    for k, turn in enumerate(turns):
        if turn.speaker is None:
            continue
        for name in introduced_names(turn.text, candidates):
            _add(votes, turn.speaker, name, INTRO_VOTE)
        following = next((t for t in turns[k + 1 :] if t.speaker != turn.speaker), None)
        for name in addressed_names(turn.text, candidates):
            _add(votes, turn.speaker, name, -ADDRESS_VOTE)
            if following is not None and following.speaker is not None:
                _add(votes, following.speaker, name, ADDRESS_VOTE)
    return votes


def _add(votes: dict[str, dict[str, float]], label: str, name: str, weight: float) -> None:
    votes.setdefault(label, {})
    votes[label][name] = votes[label].get(name, 0.0) + weight


def assign_names(
    labels: list[str],
    votes: dict[str, dict[str, float]],
    profile_matches: dict[str, str] | None = None,
    participants: list[str] | None = None,
) -> dict[str, str]:
    """Label -> name: the best one-to-one assignment of names backed by enough evidence,
    then the last unnamed speaker takes the last unused participant name."""
    for label, name in (profile_matches or {}).items():
        _add(votes, label, name, PROFILE_VOTE)
    names = sorted({n for v in votes.values() for n in v})
    out: dict[str, str] = {}
    if names and labels:
        score = np.array([[votes.get(lab, {}).get(n, 0.0) for n in names] for lab in labels])
        for i, j in zip(*linear_sum_assignment(-score), strict=True):
            if score[i, j] >= MIN_SCORE:
                out[labels[i]] = names[j]
    left = [lab for lab in labels if lab not in out]
    unused = [p for p in participants or [] if p not in out.values()]
    if participants and len(labels) == len(participants) and len(left) == 1 and len(unused) == 1:
        out[left[0]] = unused[0]
    return out


def default_names(labels: list[str]) -> dict[str, str]:
    """"Speaker 1", "Speaker 2", ... in the order given."""
    return {lab: f"Speaker {k + 1}" for k, lab in enumerate(labels)}
