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


def test_an_explicit_offer_by_rule():
    from pipelines.analyze.advocacy import offers

    assert offers("Sure, I'd be glad to be a reference for the other depots.")
    assert offers("we would be happy to do a case study once the second site is live")  # no capitals or stop
    assert offers("Count us in for the webinar in May.")
    assert offers("I'd be happy to leave you a review on G2.")
    assert offers("sure i can take a call with one of your prospects next month")
    assert offers("Happy to be a reference, honestly.")
    assert not offers("Would you be open to being a reference for other cities?")  # an ask
    assert not offers("We would love you to speak at our conference next year.")  # the vendor's invitation
    assert not offers("I'd like to review the invoice first.")  # review as a verb
    assert not offers("We'd love to join the conference call on Monday.")
    assert not offers("I'd like to get a quote for twenty more seats.")
    assert not offers("We'd like to talk to other teams in the district before we roll it out.")
    assert not offers("We'd be happy to be a reference, but legal won't let us endorse vendors.")


def test_declines_and_conditions_by_rule():
    from pipelines.analyze.advocacy import conditional, declines

    assert declines("We can't be a reference this year, sorry.")
    assert declines("I don't think we could do a case study.")
    assert declines("Our lawyers refuse any public endorsement.")
    assert not declines("No problem, happy to be a reference.")
    assert conditional("Well, if that ships in March, we could talk about a case study.")
    assert not conditional("Honestly, this rollout was a huge win for us.")


def test_an_offer_after_a_vendor_ask_is_a_signal_and_sets_the_flag_a_conditional_one_does_not():
    from pipelines.analyze import analyze

    def run(answer: str) -> object:
        turns = [
            (VENDOR, "Would you share how the first quarter went with other teams like yours?"),
            ("Elliot Park", answer),
            (VENDOR, "Thank you, that means a lot."),
        ]
        t = Transcript(segments=[Segment(id=i, text=x, speaker=w) for i, (w, x) in enumerate(turns)])
        return analyze(t, ACCOUNT, "offer")

    yes = run("Definitely, I would be glad to be a reference for other fleets our size.")
    assert yes.advocacy.flag is True
    assert [h for h in yes.highlights if h.category == "advocacy_signal" and h.turns == [1]]
    maybe = run("If the March release lands, maybe we could talk about a case study then.")
    assert maybe.advocacy.flag is False
