"""Reading account files: a bare account or a meeting JSON holding one, with readable errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.account import ACCOUNT_SCHEMA_HINT, read_account
from pipelines.errors import BadInputError

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"


def test_bare_account_and_meeting_json_give_the_same_account():
    bare = read_account(SAMPLES / "demo-account.json")
    assert bare.account_id == "acct-bluefin" and bare.goals and bare.stakeholders
    from_meeting = read_account(SAMPLES / "demo-meeting.json")
    assert from_meeting.model_copy(update={"segment": None}) == bare
    # the meeting JSON carries the account's segment, which the brief is sized by
    assert from_meeting.segment == json.loads((SAMPLES / "demo-meeting.json").read_text())["segment"]


@pytest.mark.parametrize(("content", "expected"), [
    ('{"name": "no id"}', "not an account (account_id: Field required)"),
    ('{"account_id": "a", "name": "x",\n "goals": [{"id": 1}]}', "not an account (goals.0.id:"),
    ('{"account_id": "a",\n "name": }', "acct.json, line 2: invalid JSON"),
    ("[1, 2]", "expected an account JSON object"),
    (b"\xff\xfe{", "not a UTF-8 JSON file"),
])
def test_bad_account_files_are_named_with_what_to_do(tmp_path: Path, content, expected):
    path = tmp_path / "acct.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(BadInputError) as info:
        read_account(path)
    assert str(info.value).startswith(str(path)) and expected in str(info.value)


def test_missing_file_and_the_pointed_schema_ships(tmp_path: Path):
    with pytest.raises(BadInputError, match="cannot read the account file"):
        read_account(tmp_path / "none.json")
    hint = ACCOUNT_SCHEMA_HINT.split("see ", 1)[1].split(" ")[0]
    assert json.loads((ROOT / hint).read_text())["title"] == "Account"
