"""Advocacy: agreeing to a reference after a win raises the flag; a decline is not a signal."""
from __future__ import annotations

import pytest
from analysis_meeting import ACCOUNT, VENDOR, analysis, found

from pipelines.analyze import advocacy
from pipelines.transcript import Segment, Transcript

pytestmark = pytest.mark.slow
AGREES = 16


def test_agreeing_to_be_a_reference_is_a_signal_and_sets_the_flag():
    h = found("advocacy_signal", AGREES)
    assert h is not None
    assert h.extractor == advocacy.NAME
    assert h.attributes["kind"] == "reference"
    assert analysis().advocacy.flag is True
    assert h.id in analysis().advocacy.evidence


def test_a_decline_is_not_a_signal_and_no_flag():
    from pipelines.analyze import analyze

    turns = [
        (VENDOR, "Would you consider doing a case study with us, or speaking at our user conference?"),
        ("Elliot Park", "I'm going to pass on that. We have a policy against endorsing vendors, so no "
                        "case studies and no speaking, sorry."),
        (VENDOR, "Understood, no problem at all."),
        ("Elliot Park", "Let's move on to the budget."),
    ]
    t = Transcript(segments=[Segment(id=i, text=x, speaker=w) for i, (w, x) in enumerate(turns)])
    result = analyze(t, ACCOUNT, "decline")
    assert not [h for h in result.highlights if h.category == "advocacy_signal"]
    assert result.advocacy.flag is False


def test_kind_by_the_words_that_name_it():
    from pipelines.analyze.advocacy import kind_of

    assert kind_of("Happy to be a reference for other hospitals.") == "reference"
    assert kind_of("I could refer you to my old colleague at the port.") == "referral"
    assert kind_of("We'd do a case study, sure.") == "case_study"
    assert kind_of("I'd speak on a panel at your summit.") == "speaking"
    assert kind_of("I'll leave you a review on G2.") == "review"
    assert kind_of("Honestly this is the best tool we've bought in years.") == "praise"


def test_declines_by_rule():
    from pipelines.analyze.advocacy import declines

    assert declines("I'll have to pass on the webinar, we're slammed this quarter.")
    assert declines("Legal won't let us; we have a policy against public endorsements.")
    assert not declines("Sure, put me down as a reference, happy to help.")
    assert not declines("I can't say enough good things about the rollout, count me in for the panel.")


def test_strong_quantified_praise_and_conditional_praise_by_rule():
    from pipelines.analyze.advocacy import conditional, quantified_praise

    assert quantified_praise("Best money we spent all year: returns are down forty percent.")
    assert quantified_praise("I've never seen a rollout cut onboarding from 9 days to 2.")
    assert not quantified_praise("Best money we spent all year.")  # praise without a number
    assert not quantified_praise("We had three outages in two weeks.")  # a number without praise
    assert conditional("Well, if that ships in March, that would be a huge win for us.")
    assert not conditional("Honestly, this rollout was a huge win for us.")


def test_strong_quantified_praise_after_a_win_sets_the_flag_and_a_hypothetical_does_not():
    from pipelines.analyze import analyze

    def run(praise: str) -> object:
        turns = [
            (VENDOR, "How did the first quarter on the new scheduling go?"),
            ("Elliot Park", praise),
            (VENDOR, "That's great to hear, thank you."),
        ]
        t = Transcript(segments=[Segment(id=i, text=x, speaker=w) for i, (w, x) in enumerate(turns)])
        return analyze(t, ACCOUNT, "praise")

    won = run("Honestly, this is the best investment we made this year. Overtime is down thirty "
              "percent and I have never seen the crews this calm.")
    assert won.advocacy.flag is True
    assert [h for h in won.highlights if h.category == "advocacy_signal" and h.turns == [1]]
    maybe = run("Well, if the new routing works like you say, that could be a huge win for us.")
    assert maybe.advocacy.flag is False
