"""Sides: the one resolver the speakers stage and the analysis share; unknown sides stay unknown."""
from __future__ import annotations

import json

from pipelines.account import Account, Stakeholder, VendorMember
from pipelines.formats import read_meeting
from pipelines.sides import assign_sides, resolve_sides
from pipelines.transcript import Participant, Segment, Transcript
from tests.speaker_data import shared_file

ACCOUNT = Account(account_id="a", name="Northwind", vendor_team=[VendorMember(name="Sam Patel")],
                  stakeholders=[Stakeholder(name="Dana Reyes")])


def turns(*spec: tuple[str, str]) -> list[Segment]:
    return [Segment(id=k, start=k, end=k + 1, speaker=s, text=t) for k, (s, t) in enumerate(spec)]


def test_sides_from_the_account_are_not_inferred():
    t = Transcript(segments=turns(("Sam Patel", "Hi."), ("Dana Reyes", "Hello."), ("Speaker 3", "Hey.")))
    result = assign_sides(t, ACCOUNT)
    sides = {s.speaker: (s.side, s.side_inferred) for s in result.segments}
    assert sides == {"Sam Patel": ("vendor", False), "Dana Reyes": ("customer", False),
                     "Speaker 3": ("customer", True)}
    assert {p.name for p in result.participants} == {"Sam Patel", "Dana Reyes", "Speaker 3"}


def test_participant_list_sides_win_and_first_names_match():
    t = Transcript(segments=turns(("Luis", "Hi."), ("Sam", "Hello.")),
                   participants=[Participant(name="Luis Ortega", side="vendor")])
    sides = {s.speaker: (s.side, s.side_inferred) for s in assign_sides(t, ACCOUNT).segments}
    assert sides == {"Luis": ("vendor", False), "Sam": ("vendor", False)}


def test_without_any_record_nobody_is_forced_to_be_vendor():
    t = Transcript(segments=turns(
        ("Speaker 1", "Thanks for joining. Here is the agenda for today. How is the rollout going?"),
        ("Speaker 2", "Pretty well, the team likes it."),
        ("Speaker 3", "Just the SSO piece."),
    ))
    result = assign_sides(t, None)
    assert {(s.side, s.side_inferred) for s in result.segments} == {(None, False)}
    assert {p.side for p in result.participants} == {None}
    assert resolve_sides(t, None) == ({"Speaker 1": None, "Speaker 2": None, "Speaker 3": None}, False)


def test_the_analysis_reads_what_the_speakers_stage_decided():
    t = Transcript(segments=turns(("Sam Patel", "Hi."), ("Dana", "Hello."), ("Speaker 3", "Hey.")))
    staged = assign_sides(t, ACCOUNT)
    assert resolve_sides(staged, ACCOUNT)[0] == resolve_sides(t, ACCOUNT)[0]
    want = {"Sam Patel": "vendor", "Dana": "customer", "Speaker 3": "customer"}
    assert resolve_sides(staged, ACCOUNT)[0] == want
    bare = assign_sides(Transcript(segments=turns(("A", "Hi."), ("B", "Hello."))), None)
    assert resolve_sides(bare, None)[0] == {"A": None, "B": None}


def test_sides_on_the_corpus_meetings():
    """Dev meetings with the participant list removed: the account alone gives every side; with
    no record at all every side stays unknown."""
    paths = sorted(shared_file("eval", "meetings").glob("dev-*.json"))
    assert paths
    for path in paths:
        transcript, account, _ = read_meeting(path)
        gold = {p["speaker"]: p["side"] for p in json.loads(path.read_text())["participants"]}
        bare = transcript.model_copy(update={"participants": []})
        assert {p.name: p.side for p in assign_sides(bare, account).participants} == gold
        segments = [s.model_copy(update={"side": None}) for s in bare.segments]
        unsaid = bare.model_copy(update={"segments": segments})
        assert {p.side for p in assign_sides(unsaid, None).participants} == {None}, path.name
