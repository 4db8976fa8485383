"""Whisper's repetition loops ("thank you thank you thank you ..."), found and collapsed.

Pure functions over words and segments, so they are tested without a model.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from pipelines.transcript import Segment

MAX_NGRAM = 8
_NON_WORD = re.compile(r"[^\w']+")


def normalise(token: str) -> str:
    """Lower case without punctuation, so "You." and "you," compare equal."""
    return _NON_WORD.sub("", token.lower())


def collapse_word_loops(tokens: Sequence[str], max_repeats: int = 4) -> list[int]:
    """Indices of ``tokens`` to keep: an n-gram repeated more than ``max_repeats`` times in a row
    is kept once."""
    norm = [normalise(t) for t in tokens]
    keep: list[int] = []
    i = 0
    while i < len(norm):
        size, count = _longest_loop(norm, i, max_repeats)
        if size:
            keep.extend(range(i, i + size))
            i += size * count
        else:
            keep.append(i)
            i += 1
    return keep


def _longest_loop(norm: list[str], i: int, max_repeats: int) -> tuple[int, int]:
    """(n-gram size, repeats) of a loop starting at ``i``, or (0, 0) when there is none."""
    for size in range(1, MAX_NGRAM + 1):
        gram = norm[i : i + size]
        if len(gram) < size or not any(gram):
            break
        count = 1
        while norm[i + count * size : i + (count + 1) * size] == gram:
            count += 1
        if count > max_repeats:
            return size, count
    return 0, 0


def collapse_repeated_segments(segments: list[Segment], max_repeats: int = 4) -> list[Segment]:
    """Keep the first of a run of more than ``max_repeats`` consecutive segments with the same text."""
    kept: list[Segment] = []
    i = 0
    while i < len(segments):
        key = normalise(segments[i].text.replace(" ", "_"))
        run = i + 1
        while run < len(segments) and normalise(segments[run].text.replace(" ", "_")) == key:
            run += 1
        kept.extend(segments[i : i + 1] if run - i > max_repeats else segments[i:run])
        i = run
    return kept
