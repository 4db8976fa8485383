"""From per-turn probabilities to highlight spans: threshold, group nearby turns, pick the peak."""

from __future__ import annotations

import numpy as np


def group_turns(probs: np.ndarray, threshold: float, gap: int) -> list[list[int]]:
    """Turns at or above ``threshold``, grouped when at most ``gap`` turns apart."""
    hits = [int(i) for i in np.flatnonzero(probs >= threshold)]
    groups: list[list[int]] = []
    for i in hits:
        if groups and i - groups[-1][-1] <= gap + 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def peak(group: list[int], probs: np.ndarray) -> int:
    """The group's most confident turn (its evidence)."""
    return max(group, key=lambda i: float(probs[i]))
