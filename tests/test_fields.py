"""Names and ids are checked once, in the models, the same for SQLite and PostgreSQL."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from pipelines.account import Account, read_account
from pipelines.errors import BadInputError
from pipelines.fields import MAX_NAME_CHARS
from pipelines.formats import read_transcript
from pipelines.transcript import Participant, Segment


def test_long_speaker_names_are_cut_and_control_characters_dropped():
    seg = Segment(id=0, text="hi\x00 there", speaker="N" * 265)
    assert len(seg.speaker or "") == MAX_NAME_CHARS and seg.speaker.endswith("…")  # type: ignore[union-attr]
    assert seg.text == "hi there"
    assert Participant(name="Ana\x00 Lee\n").name == "Ana Lee"


def test_a_cut_speaker_name_is_a_warning_of_the_import(tmp_path: Path):
    path = tmp_path / "long-name.vtt"
    path.write_text(f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v {'Q' * 265}>Hello.\n")
    t = read_transcript(path)
    assert len(t.segments[0].speaker or "") == MAX_NAME_CHARS
    assert "speaker name of 265 characters was cut" in t.warnings[0]


@pytest.mark.parametrize("bad", ["x" * 300, "acct\x00nul", "", "two\nlines"])
def test_account_ids_that_no_database_can_hold_are_rejected(tmp_path: Path, bad: str):
    with pytest.raises(ValidationError, match="an account id must be 1 to 200 characters"):
        Account(account_id=bad, name="n")
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"account_id": bad, "name": "n"}))
    with pytest.raises(BadInputError, match="account_id: Value error, an account id must be"):
        read_account(path)


def test_a_fine_account_id_passes():
    assert Account(account_id="acct-ok_1.2 [x]", name="[/] Corp").account_id == "acct-ok_1.2 [x]"
