"""Diarization error rate (NIST md-eval convention): missed + false alarm + confusion over reference speech.

Exact, segment-based: the timeline is cut at every turn boundary; a forgiveness collar of
``collar`` seconds on each side of every reference boundary is left out of scoring; overlapped
speech is scored; reference and hypothesis speakers are mapped one-to-one so that their
co-occurring time is largest (Hungarian algorithm). On every clip of the speaker tests it gives
the same figures, to four decimals, as pyannote.metrics 4.2.0's DiarizationErrorRate with
collar=0.5 (pyannote counts the collar as the total width) and skip_overlap=False.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
from pydantic import BaseModel
from scipy.optimize import linear_sum_assignment

from pipelines.rttm import SpeakerTurn

COLLAR = 0.25
"""Seconds left unscored on each side of a reference boundary (md-eval's -c 0.25)."""


class DERResult(BaseModel):
    """Components of the diarization error rate, in seconds of scored reference speech."""

    total: float
    missed: float
    false_alarm: float
    confusion: float
    mapping: dict[str, str]

    @property
    def der(self) -> float:
        if self.total <= 0:
            return 0.0 if self.false_alarm <= 0 else 1.0
        return (self.missed + self.false_alarm + self.confusion) / self.total


def _pieces(
    turns_ref: list[SpeakerTurn], turns_hyp: list[SpeakerTurn]
) -> list[tuple[float, float, frozenset[str], frozenset[str]]]:
    """Elementary intervals (start, end, reference speakers, hypothesis speakers)."""
    events: list[tuple[float, int, int, str]] = []  # time, +1/-1, 0 ref / 1 hyp, speaker
    for kind, turns in ((0, turns_ref), (1, turns_hyp)):
        for t in turns:
            if t.end > t.start:
                events += [(t.start, 1, kind, t.speaker), (t.end, -1, kind, t.speaker)]
    events.sort(key=lambda e: e[0])
    active: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    pieces, k = [], 0
    while k < len(events):
        time = events[k][0]
        while k < len(events) and events[k][0] == time:
            _, step, kind, speaker = events[k]
            active[kind][speaker] += step
            k += 1
        if k < len(events) and events[k][0] > time:
            ref = frozenset(s for s, n in active[0].items() if n > 0)
            hyp = frozenset(s for s, n in active[1].items() if n > 0)
            if ref or hyp:
                pieces.append((time, events[k][0], ref, hyp))
    return pieces


def _scored(pieces, regions: list[tuple[float, float]]):
    """Cut the pieces to the given scored regions."""
    out = []
    for start, end, ref, hyp in pieces:
        for lo, hi in regions:
            a, b = max(start, lo), min(end, hi)
            if b > a:
                out.append((a, b, ref, hyp))
    return out


def _score_regions(
    reference: list[SpeakerTurn], uem: list[tuple[float, float]] | None, collar: float, horizon: float
) -> list[tuple[float, float]]:
    """The scored regions: the UEM (or everything) minus the collars around reference boundaries."""
    regions = sorted(uem) if uem else [(0.0, horizon)]
    bounds = [b for t in reference for b in (t.start, t.end)] if collar > 0 else []
    holes = sorted((b - collar, b + collar) for b in bounds)
    out = []
    for lo, hi in regions:
        cursor = lo
        for a, b in holes:
            if b <= cursor or a >= hi:
                continue
            if a > cursor:
                out.append((cursor, a))
            cursor = max(cursor, b)
        if cursor < hi:
            out.append((cursor, hi))
    return out


def diarization_error_rate(
    reference: list[SpeakerTurn],
    hypothesis: list[SpeakerTurn],
    *,
    collar: float = COLLAR,
    uem: list[tuple[float, float]] | None = None,
) -> DERResult:
    """Score ``hypothesis`` against ``reference`` (speaker names need not match)."""
    horizon = max([t.end for t in reference + hypothesis], default=0.0)
    pieces = _scored(_pieces(reference, hypothesis), _score_regions(reference, uem, collar, horizon))
    refs = sorted({t.speaker for t in reference})
    hyps = sorted({t.speaker for t in hypothesis})
    overlap = np.zeros((len(refs), len(hyps)))
    for a, b, ref, hyp in pieces:
        for r in ref:
            for h in hyp:
                overlap[refs.index(r), hyps.index(h)] += b - a
    rows, cols = linear_sum_assignment(-overlap) if overlap.size else ([], [])
    mapping = {refs[r]: hyps[c] for r, c in zip(rows, cols, strict=True) if overlap[r, c] > 0}
    total = missed = false_alarm = confusion = 0.0
    for a, b, ref, hyp in pieces:
        d, n_ref, n_hyp = b - a, len(ref), len(hyp)
        correct = sum(1 for r in ref if mapping.get(r) in hyp)
        total += d * n_ref
        missed += d * max(0, n_ref - n_hyp)
        false_alarm += d * max(0, n_hyp - n_ref)
        confusion += d * (min(n_ref, n_hyp) - correct)
    return DERResult(
        total=total, missed=missed, false_alarm=false_alarm, confusion=confusion, mapping=mapping
    )
