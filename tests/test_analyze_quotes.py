"""Quotes: long sentences cut to quotable pieces, and the second a quote is said (words or cue)."""
from __future__ import annotations

import pytest

from pipelines.analyze.quotes import MAX_QUOTE_WORDS, quote_times, split_long, word_count
from pipelines.transcript import Segment, Word


def test_a_short_sentence_stays_whole_and_a_long_one_is_cut_verbatim():
    short = "We froze the budget until July."
    assert split_long(short) == [short]
    clause = "the crews logged every stop by hand and the office typed it all again at night"
    long = ", ".join([clause] * 5) + "."
    pieces = split_long(long, max_words=30)
    assert len(pieces) >= 3
    assert all(word_count(p) <= 30 for p in pieces)
    assert all(p in long for p in pieces)
    assert sum(word_count(p) for p in pieces) == word_count(long)
    assert pieces[0].endswith(",")  # cut at a comma near the even split


def test_quote_start_from_word_timing():
    words = ["Thanks", "all.", "Our", "budget", "is", "frozen", "until", "July."]
    timed = [Word(start=10.0 + 0.5 * k, end=10.4 + 0.5 * k, text=" " + w) for k, w in enumerate(words)]
    seg = Segment(id=0, start=10.0, end=14.0, text=" ".join(words), words=timed)
    start, end = quote_times(seg, seg.text, "Our budget is frozen until July.")
    assert start == 11.0 and end == 13.9


def test_quote_start_interpolated_within_a_cue_without_words():
    text = "a" * 50 + " " + "Our budget is frozen." + " " + "b" * 28
    seg = Segment(id=0, start=100.0, end=200.0, text=text)
    start, end = quote_times(seg, text, "Our budget is frozen.")
    assert 150.0 < start < 152.0 and 170.0 < end < 173.0


def test_quote_not_found_keeps_the_segment_times():
    seg = Segment(id=0, start=3.0, end=5.0, text="Hello there.")
    assert quote_times(seg, seg.text, "something else") == (3.0, 5.0)


@pytest.mark.slow
def test_evidence_is_a_quote_of_its_turn_with_its_own_second():
    from analysis_meeting import analysis

    result = analysis()
    assert result.highlights
    for h in result.highlights:
        assert 1 <= word_count(h.evidence) <= MAX_QUOTE_WORDS
        assert h.start is not None and h.end is not None and h.start <= h.end


FILLER = ("so yeah we had the team offsite last week and everyone was there and the weather was fine and we "
          "went through the usual updates on staffing and the calendar for the spring")


@pytest.mark.slow
@pytest.mark.parametrize("punctuated", [True, False])
def test_a_long_caption_gives_a_short_quote_at_its_own_second(punctuated):
    """A platform caption that runs chit-chat and the item together, with or without punctuation."""
    import re

    from analysis_meeting import ACCOUNT, SPONSOR, TURNS, VENDOR

    from pipelines.analyze import analyze
    from pipelines.transcript import Transcript

    caption = FILLER.capitalize() + ". " + TURNS[16][1]  # the sponsor agrees to be a reference
    if not punctuated:
        caption = " ".join(re.sub(r"[^\w\s']", "", caption).lower().split())
    assert word_count(caption) > MAX_QUOTE_WORDS - 10
    segments = [
        Segment(id=0, start=0.0, end=4.0, text="Would you be open to talking to other cities about it?",
                speaker=VENDOR),
        Segment(id=1, start=4.0, end=64.0, text=caption, speaker=SPONSOR),
    ]
    result = analyze(Transcript(source="import", segments=segments), ACCOUNT, "caption")
    quoted = [h for h in result.highlights if h.turns == [1]]
    assert quoted
    for h in quoted:
        assert word_count(h.evidence) < word_count(caption) and h.evidence in caption
        assert h.start is not None and h.end is not None and 4.0 <= h.start < h.end <= 64.0
    if punctuated:  # the item is said at the end of the caption, and so is its quote
        assert all(h.start > 20.0 for h in quoted)
