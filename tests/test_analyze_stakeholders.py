"""Stakeholder changes: a departure with its successor; vendor-side staffing is not a change."""
from __future__ import annotations

import pytest
from analysis_meeting import found

from pipelines.analyze import stakeholders
from pipelines.highlight import Highlight

pytestmark = pytest.mark.slow
DEPARTED, VENDOR_STAFFING = 8, 9


def test_departure_names_the_person_and_successor():
    h = found("stakeholder_change", DEPARTED)
    assert h is not None
    assert h.extractor == stakeholders.NAME
    assert h.attributes["change"] == "departed"
    assert h.attributes["person"] == "Victor Lane"  # matched to the account's stakeholder
    assert h.attributes["replaced_by"] == "Dana Whitfield"
    said = ("Victor Lane retired at the end of October, and Dana Whitfield took over as our new "
            "procurement manager.")
    assert h.evidence == said  # the sentence that says it, verbatim
    assert h.side == "customer" and h.speaker == "Elliot Park"


def test_vendor_side_staffing_is_not_a_stakeholder_change():
    assert found("stakeholder_change", VENDOR_STAFFING) is None


def test_titles_and_names_by_rule():
    from pipelines.analyze.entities import resolve_name, same_person, title_in

    assert title_in("She is our new VP of Engineering as of May.") == "VP of Engineering"
    assert title_in("He came in as COO in the spring.") == "Chief Operating Officer"
    assert title_in("We talked about the weather.") is None
    assert resolve_name("Ruth", ["Elliot Park", "Ruth Amari"]) == "Ruth Amari"
    assert resolve_name("Sam Oduya", ["Elliot Park"]) == "Sam Oduya"
    assert same_person("Ruth", "Ruth Amari") and not same_person("Ruth", "Elliot Park")


def test_a_stakeholder_introducing_themselves_has_not_joined():
    from analysis_meeting import meeting_context

    from pipelines.analyze.stakeholders import already_there

    ctx = meeting_context()
    assert already_there(ctx, "Elliot Park", None)  # "I'm Elliot Park, I run fleet operations"
    assert already_there(ctx, "Elliot Park", "Director of Fleet Operations")
    assert not already_there(ctx, "Elliot Park", "Chief Executive Officer")  # a new role is news
    assert not already_there(ctx, "Dana Whitfield", "Procurement Manager")  # not in the account yet


def _change(turns: list[int], person: str | None, change: str, confidence: float) -> Highlight:
    attrs = {"person": person, "change": change}
    return Highlight(
        category="stakeholder_change",
        evidence="x",
        turns=turns,
        confidence=confidence,
        attributes=attrs,
        extractor="t",
    )


def test_one_change_told_twice_nearby_is_one_highlight():
    from pipelines.analyze.stakeholders import SAME_CHANGE_TURNS, one_per_change

    later = 10 + SAME_CHANGE_TURNS
    told = [_change([10], "Rob Kaminski", "joined", 0.7), _change([later], "Rob", "joined", 0.9)]
    kept = one_per_change(told)
    assert len(kept) == 1
    assert kept[0].confidence == 0.9  # the more confident telling, with both turns
    assert kept[0].turns == [10, later]


def test_an_unnamed_change_next_to_a_named_one_is_the_same_story():
    from pipelines.analyze.stakeholders import one_per_change

    told = [_change([20], "Gavin Loughlin", "departed", 0.7), _change([22], None, "departed", 0.9)]
    kept = one_per_change(told)
    assert len(kept) == 1 and kept[0].attributes["person"] == "Gavin Loughlin" and kept[0].turns == [20, 22]


def test_other_people_or_far_apart_stay_apart():
    from pipelines.analyze.stakeholders import SAME_CHANGE_TURNS, one_per_change

    hs = [
        _change([10], "Rob Kaminski", "departed", 0.9),
        _change([12], "Tanya Brooks", "departed", 0.8),  # another person
        _change([13], "Rob Lee", "departed", 0.8),  # another Rob
        _change([10 + SAME_CHANGE_TURNS + 4], "Rob Kaminski", "departed", 0.7),  # further on than 3 from all
        _change([40], None, "joined", 0.6),  # unnamed, but nobody named nearby
        _change([], "Rob Kaminski", "departed", 0.6),  # no turns: kept, not compared
    ]
    assert len(one_per_change(hs)) == len(hs)


def test_leaving_words_next_to_the_name_say_departed():
    from pipelines.analyze.entities import said_to_leave

    assert said_to_leave("Quick update. Marta retired in May, and Leo runs the desk now.", "Marta Silva")
    assert said_to_leave("Friday was Omar's last day.", "Omar Haddad")
    assert not said_to_leave("Marta retired in May. Leo runs the desk now.", "Leo Brandt")  # another sentence
    assert not said_to_leave("Leo was promoted to director.", "Leo Brandt")
