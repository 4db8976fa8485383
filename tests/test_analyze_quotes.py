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


@pytest.mark.slow
def test_one_long_caption_without_punctuation_still_gives_short_quotes_at_their_second():
    """A platform export that merged a customer's talk into one 100+ word caption."""
    import re

    from analysis_meeting import ACCOUNT, SPONSOR, TURNS, VENDOR

    from pipelines.analyze import analyze
    from pipelines.transcript import Transcript

    said = " ".join(text for who, text in TURNS if who == SPONSOR)
    caption = " ".join(re.sub(r"[^\w\s']", "", said).lower().split())
    assert word_count(caption) > 100
    segments = [
        Segment(id=0, start=0.0, end=4.0, text="Thanks for making the time, how has the quarter gone?",
                speaker=VENDOR),
        Segment(id=1, start=4.0, end=124.0, text=caption, speaker=SPONSOR),
    ]
    result = analyze(Transcript(source="import", segments=segments), ACCOUNT, "caption")
    quoted = [h for h in result.highlights if h.turns and 1 in h.turns]
    assert quoted
    for h in quoted:
        assert word_count(h.evidence) <= MAX_QUOTE_WORDS and h.evidence in caption
        assert h.start is not None and 4.0 <= h.start < 124.0
    assert any(h.start > 10.0 for h in quoted)  # the sentence's own second, not the caption's start
