"""Quotes: sentences short enough to quote, and the second of the recording where a quote is said.

Speech recognition and meeting platforms often give long stretches without a full stop (merged
captions, run-on speech); a "sentence" of 150 words is no quote. An over-long sentence is cut into
pieces at commas or evenly, and the piece the head scores highest is quoted.
"""

from __future__ import annotations

import math
import re

from pipelines.transcript import Segment

MAX_PIECE_WORDS = 45
"""Pieces of an over-long sentence have at most this many words (cut at a comma where one is near)."""
MIN_QUOTE_WORDS = 8
"""A quote shorter than this takes in its neighbouring sentences (a short sentence leans on its context)."""
MAX_QUOTE_WORDS = 60
"""An evidence quote never joins sentences past this many words."""
_TOKEN = re.compile(r"\S+")
_SPACE = re.compile(r"\s+")


def split_long(sentence: str, max_words: int = MAX_PIECE_WORDS) -> list[str]:
    """The sentence, or verbatim pieces of at most ``max_words`` words when it is longer: near-equal
    pieces, each ending at the last comma, semicolon or colon of its second half where there is one."""
    tokens = list(_TOKEN.finditer(sentence))
    if len(tokens) <= max_words:
        return [sentence]
    out, start = [], 0
    while start < len(tokens):
        left = len(tokens) - start
        end = start + math.ceil(left / math.ceil(left / max_words))
        if end < len(tokens):
            half = range(start + (end - start) // 2, end)
            near = [k for k in half if tokens[k].group().endswith((",", ";", ":"))]
            end = near[-1] + 1 if near else end
        out.append(sentence[tokens[start].start() : tokens[end - 1].end()])
        start = end
    return out


def word_count(text: str) -> int:
    return len(_TOKEN.findall(text))


def quote_times(segment: Segment, text: str, quote: str) -> tuple[float | None, float | None]:
    """(start, end) second of ``quote`` inside the turn ``text`` (the segment's text, whitespace made
    single spaces): from the words' timing where the segment has words, else interpolated over the
    segment by character position; the segment's own times when the quote is not found."""
    at = text.find(quote)
    if at < 0 or segment.start is None or segment.end is None or not text:
        return segment.start, segment.end
    if segment.words:
        return _word_time(segment, text, at, True), _word_time(segment, text, at + len(quote), False)
    first, last = at / len(text), (at + len(quote)) / len(text)
    span = segment.end - segment.start
    return round(segment.start + span * first, 2), round(segment.start + span * last, 2)


def _word_time(segment: Segment, text: str, offset: int, start: bool) -> float:
    """The start (or end) time of the word at character ``offset`` of ``text``: words are matched to
    the text by their order and lengths, so recognition spacing ("30 %") does not shift them."""
    words = [_SPACE.sub(" ", w.text).strip() for w in segment.words]
    joined = " ".join(words)
    pos = offset if joined == text else round(offset * len(joined) / max(len(text), 1))
    at = 0
    for word, raw in zip(words, segment.words, strict=True):
        end = at + len(word)
        if (start and pos < end + 1) or (not start and pos <= end):
            return raw.start if start else raw.end
        at = end + 1
    return segment.words[-1].end
