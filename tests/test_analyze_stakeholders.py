"""Stakeholder changes: a departure with its successor; vendor-side staffing is not a change."""
from __future__ import annotations

import pytest
from analysis_meeting import TURNS, found

pytestmark = pytest.mark.slow
DEPARTED, VENDOR_STAFFING = 8, 9


def test_departure_names_the_person_and_successor():
    h = found("stakeholder_change", DEPARTED)
    assert h is not None
    assert h.extractor == "aw.stakeholder_change.v1"
    assert h.attributes["change"] == "departed"
    assert h.attributes["person"] == "Victor Lane"  # matched to the account's stakeholder
    assert h.attributes["replaced_by"] == "Dana Whitfield"
    assert h.evidence == TURNS[DEPARTED][1]  # verbatim turn text
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
