"""Every imported input is bounded: cues, characters, duration, account items, JSON depth, file size."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.account import read_account
from pipelines.errors import BadInputError
from pipelines.formats import merge_speaker_turns, read_meeting, read_transcript
from pipelines.limits import TURN_CHARS, Limits, json_depth
from pipelines.transcript import Segment
from worker.settings import Settings


def vtt(path: Path, cues: int, *, voice: str | None = "Ana", gap: float = 2.0,
        text: str = "We ship on Monday.") -> Path:
    blocks = ["WEBVTT"]
    for i in range(cues):
        h, rest = divmod(gap * i, 3600)
        stamp = f"{int(h):02d}:{int(rest // 60):02d}:{rest % 60:06.3f}"
        body = f"<v {voice}>{text}" if voice else text
        blocks.append(f"{stamp} --> {stamp}\n{body}")
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def test_cue_count_over_the_limit_names_the_file_and_setting(tmp_path: Path):
    path = vtt(tmp_path / "long.vtt", 30)
    assert len(read_transcript(path, limits=Limits(max_cues=30)).segments) >= 1
    with pytest.raises(BadInputError, match=r"long.vtt: number of cues 30 is over the limit of 29.*CUES"):
        read_transcript(path, limits=Limits(max_cues=29))


def test_characters_and_duration_are_bounded(tmp_path: Path):
    path = vtt(tmp_path / "t.vtt", 10, voice=None)
    with pytest.raises(BadInputError, match="AW_MAX_TRANSCRIPT_CHARS"):
        read_transcript(path, limits=Limits(max_chars=50))
    with pytest.raises(BadInputError, match="last time.*AW_MAX_DURATION_S"):
        read_transcript(path, limits=Limits(max_duration_s=5))


def test_a_file_far_larger_than_any_transcript_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "huge.srt"
    path.write_text("x" * 70_000)
    with pytest.raises(BadInputError, match="file size"):
        read_transcript(path, limits=Limits(max_chars=100))


def test_meeting_json_utterances_are_bounded(tmp_path: Path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"utterances": [{"speaker": "A", "text": "hi"}] * 5}))
    with pytest.raises(BadInputError, match="number of utterances 5"):
        read_meeting(path, Limits(max_cues=4))


def test_deep_json_account_is_an_error_not_a_recursion_error(tmp_path: Path):
    path = tmp_path / "deep.json"
    path.write_text('{"account_id": "a", "name": "n", "goals": ' + "[" * 200_000 + "]" * 200_000 + "}")
    with pytest.raises(BadInputError, match=r"JSON nesting depth 200,001 is over the limit of 32.*DEPTH"):
        read_account(path)
    with pytest.raises(BadInputError, match="AW_MAX_JSON_DEPTH"):
        read_transcript(path.rename(tmp_path / "deep-transcript.json"))


def test_json_depth_skips_brackets_inside_strings():
    assert json_depth('{"a": [1, {"b": "[[[\\" {{"}]}') == 3
    assert json_depth('["\\\\", "[["]') == 1


def test_account_items_are_bounded(tmp_path: Path):
    path = tmp_path / "a.json"
    goals = [{"id": f"g{i}", "text": "grow"} for i in range(6)]
    path.write_text(json.dumps({"account_id": "a", "name": "n", "goals": goals}))
    assert len(read_account(path, Limits(max_account_items=6)).goals) == 6
    with pytest.raises(BadInputError, match="number of account items.*6.*AW_MAX_ACCOUNT_ITEMS"):
        read_account(path, Limits(max_account_items=5))


def test_one_voice_for_the_whole_file_becomes_bounded_turns(tmp_path: Path):
    t = read_transcript(vtt(tmp_path / "one.vtt", 2000))
    assert len(t.segments) > 1 and all(len(s.text) <= TURN_CHARS for s in t.segments)
    assert sum(len(s.text) for s in t.segments) == 2000 * len("We ship on Monday.") + 2000 - len(t.segments)
    short = merge_speaker_turns([Segment(id=i, text="ok", speaker="A") for i in range(3)])
    assert [s.text for s in short] == ["ok ok ok"]


def test_settings_carry_the_limits_to_the_pipelines():
    limits = Settings(max_transcript_cues=7, max_transcript_chars=8, max_account_items=9,
                      max_json_depth=10, max_duration_s=11).limits
    assert limits == Limits(max_cues=7, max_chars=8, max_account_items=9, max_json_depth=10,
                            max_duration_s=11)
    assert Settings().limits == Limits()


def test_a_long_turn_is_parsed_in_pieces_into_one_doc_with_its_text():
    from models.nlp import PIECE_CHARS, parse, split_text

    text = "We ship the pilot on Monday. " * 300 + "y" * (PIECE_CHARS + 10) + " and then we stop."
    pieces = split_text(text)
    assert "".join(pieces) == text and all(len(p) <= PIECE_CHARS for p in pieces) and len(pieces) > 4
    assert pieces[0].endswith("Monday. ")
    (doc,) = parse([text])
    assert doc.text == text and len(list(doc.sents)) >= 300
