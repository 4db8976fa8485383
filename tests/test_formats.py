"""Transcript formats: real platform exports import, bad files name their line, writers round-trip."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from pipelines.errors import BadInputError, PipelineError
from pipelines.formats import (
    SCHEMA_PATH,
    read_meeting,
    read_transcript,
    to_json,
    to_srt,
    to_txt,
    to_vtt,
    transcript_schema,
)
from pipelines.transcript import Segment, Transcript, Word

SHARED = Path(__file__).parents[1] / ".." / "shared"
PLATFORM = SHARED / "data" / "platform-transcripts"
MEETINGS = SHARED / "eval" / "meetings"
EDGE = PLATFORM / "format-edge-cases-webvtt-py"

# Files that are not transcripts, or are broken on purpose, and what the error must say.
INVALID = {
    "SOURCES.md": "line 1",
    "LICENSE.webvtt-py": "line 1",
    "LICENSE.ethereum-pm": "line 1",
    "empty.vtt": "is empty",
    "invalid_format4.srt": "line 1: expected a cue number",
    "invalid_timeframe.vtt": "line 6: cannot read the WebVTT timing line",
    "missing_timeframe.srt": "line 6: expected a SRT timing line",
    "tldr.json": "neither a transcript",
    "calltranscript-get.response.json": "neither a transcript",
    "transcript_changelog.tsv": "line 1",
}
# Speakers per Zoom meeting, from the table in platform-transcripts/SOURCES.md.
ZOOM_SPEAKERS = {
    "acdc_2026-02-05_174": 15,
    "acdt_2026-06-22_084": 7,
    "fcr_2026-03-03_004": 5,
    "rpcstandards_2026-07-13_030": 5,
    "focil_2026-04-07_032": 4,
    "allwalletdevs_2026-05-20_039": 1,
}


def platform_files() -> list[Path]:
    if not PLATFORM.exists():
        return []
    return sorted(p for p in PLATFORM.rglob("*") if p.is_file())


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present (../shared is needed for this test)")
    return path


@pytest.mark.parametrize("path", platform_files(), ids=lambda p: str(p.relative_to(PLATFORM)))
def test_every_platform_file_imports_or_explains(path: Path):
    if path.name in INVALID:
        with pytest.raises(BadInputError) as err:
            read_transcript(path)
        assert str(path) in str(err.value) and INVALID[path.name] in str(err.value)
        return
    transcript = read_transcript(path)
    assert transcript.source == "import"
    assert transcript.segments or path.name == "no_captions.vtt"
    assert all(seg.text.strip() for seg in transcript.segments)


@pytest.mark.parametrize(("meeting", "count"), sorted(ZOOM_SPEAKERS.items()))
@pytest.mark.parametrize("name", ["transcript.vtt", "transcript_corrected.vtt"])
def test_zoom_vtt_has_every_speaker(meeting: str, count: int, name: str):
    path = require(PLATFORM / "zoom-vtt-ethereum-pm" / meeting / name)
    transcript = read_transcript(path)
    assert len(transcript.speakers()) == count
    assert all(seg.speaker for seg in transcript.segments)
    assert [p.name for p in transcript.participants] == transcript.speakers()
    starts = [seg.start for seg in transcript.segments]
    assert starts == sorted(starts) and starts[0] > 60  # Zoom starts the transcript after the chatter


def test_zoom_cues_merge_into_turns_unless_asked_not_to():
    path = require(PLATFORM / "zoom-vtt-ethereum-pm" / "fcr_2026-03-03_004" / "transcript.vtt")
    cues = read_transcript(path, merge_turns=False)
    turns = read_transcript(path)
    assert len(cues.segments) == path.read_text().count("-->") > len(turns.segments)
    assert cues.segments[0].speaker == "Mikhail Kalinin" and cues.segments[0].text == "Ayy."
    assert turns.segments[0].text == "Ayy. Hey, Will."
    assert all(a.speaker != b.speaker for a, b in zip(turns.segments, turns.segments[1:], strict=False))


def test_zoom_names_with_dots_and_colons_in_text(tmp_path: Path):
    path = tmp_path / "z.vtt"
    path.write_bytes(
        b"WEBVTT\r\n\r\n1\r\n00:00:01.000 --> 00:00:02.500\r\n"
        b"Z. Victor Zhou (xinbenlv): Agenda: item one\r\n"
    )
    seg = read_transcript(path).segments[0]
    assert (seg.speaker, seg.text) == ("Z. Victor Zhou (xinbenlv)", "Agenda: item one")
    assert (seg.start, seg.end) == (1.0, 2.5)


def test_teams_voice_tags_and_metadata_content():
    content = read_transcript(require(PLATFORM / "msgraph-teams-docs" / "calltranscript-content.example.vtt"))
    assert [(s.speaker, s.text, s.start, s.end) for s in content.segments] == [
        ("User Name", "This is a transcript test.", 0.0, 5.32)
    ]
    meta = read_transcript(PLATFORM / "msgraph-teams-docs" / "calltranscript-metadatacontent.example.vtt")
    assert [(s.speaker, s.text) for s in meta.segments] == [("User Name", "This is a transcription test.")]


def test_webvtt_edge_cases():
    require(EDGE)
    assert read_transcript(EDGE / "captions_with_bom.vtt").segments[0].text == "Caption text #1"
    comments = read_transcript(EDGE / "comments.vtt")
    assert len(comments.segments) == 3 and "NOTE" not in comments.text and "Kyle" not in comments.text
    assert comments.segments[0].text == "- Ta en kopp varmt te. - Det är inte varmt."
    assert read_transcript(EDGE / "styles.vtt").text == "- Hello world."
    assert [s.text for s in read_transcript(EDGE / "cue_tags.vtt").segments] == [
        "When the moon hits your eye", "Like a big-a pizza pie", "That's amore"
    ]
    assert len(read_transcript(EDGE / "using_identifiers.vtt").segments) == 6
    assert len(read_transcript(EDGE / "metadata_headers_multiline.vtt").segments) == 2
    rolled = read_transcript(EDGE / "youtube_dl.vtt")
    assert [s.text for s in rolled.segments] == ["yeah", "what", "this will happen is I'm telling"]
    assert read_transcript(EDGE / "no_captions.vtt").segments == []


def test_srt_and_sbv():
    require(EDGE)
    srt = read_transcript(EDGE / "sample.srt")
    assert [(s.start, s.end) for s in srt.segments][:2] == [(0.5, 7.0), (7.0, 11.89)]
    assert len(read_transcript(EDGE / "missing_caption_text.srt").segments) == 4
    sbv = read_transcript(EDGE / "sample.sbv")
    assert sbv.segments[2].text == "Caption text #3 (line 1) Caption text #3 (line 2)"
    assert sbv.segments[-1].end >= sbv.segments[-1].start


def test_plain_name_text_lines_and_zoom_chat(tmp_path: Path):
    path = tmp_path / "notes.txt"
    path.write_text("Dana Reyes: We closed the books faster.\nstill Dana here\n\nSam Patel: Great to hear.\n")
    t = read_transcript(path)
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Dana Reyes", "We closed the books faster. still Dana here"),
        ("Sam Patel", "Great to hear."),
    ]
    chat = read_transcript(require(PLATFORM / "zoom-vtt-ethereum-pm" / "fcr_2026-03-03_004" / "chat.txt"))
    assert chat.segments[0].speaker == "Will Corcoran" and chat.segments[0].start == 4 * 60 + 32
    assert "Fast confirmation" not in chat.speakers()  # a continuation line with a colon is not a speaker


def test_bad_text_files_name_file_and_line(tmp_path: Path):
    bad_json = tmp_path / "t.json"
    bad_json.write_text('{\n  "segments": [\n    {"id": 0,, }\n  ]\n}\n')
    with pytest.raises(BadInputError, match=r"t\.json, line 3: invalid JSON"):
        read_transcript(bad_json)
    latin = tmp_path / "l.srt"
    latin.write_bytes("1\n00:00:01,000 --> 00:00:02,000\nCaf\xe9\n".encode("latin-1"))
    with pytest.raises(BadInputError, match=r"l\.srt: not a UTF-8 text file"):
        read_transcript(latin)
    no_header = tmp_path / "h.vtt"
    no_header.write_text("00:00:01.000 --> 00:00:02.000\nhello\n")
    with pytest.raises(BadInputError, match=r"h\.vtt, line 1: a WebVTT file must start with 'WEBVTT'"):
        read_transcript(no_header)


def test_corpus_meeting_json():
    path = require(MEETINGS / "dev-001.json")
    data = json.loads(path.read_text())
    transcript, account, meeting_id = read_meeting(path)
    assert meeting_id == "dev-001" and account is not None and account.name == data["account"]["name"]
    assert [s.text for s in transcript.segments] == [u["text"] for u in data["utterances"]]
    sides = {p["speaker"]: p["side"] for p in data["participants"]}
    assert {p.name: p.side for p in transcript.participants} == sides
    assert all(seg.side == sides[seg.speaker] for seg in transcript.segments)
    assert read_transcript(path).segments == transcript.segments


def sample() -> Transcript:
    words = [Word(start=0.5, end=0.9, text="Hello", probability=0.9), Word(start=1.0, end=1.4, text="<all>")]
    return Transcript(
        language="en",
        duration=5.0,
        model="tiny.en",
        segments=[
            Segment(id=0, start=0.5, end=1.4, text="Hello <all> & co", speaker="Dana <CFO>", words=words),
            Segment(id=1, start=2.0, end=4.25, text="Thanks: let's start.", speaker="Sam Patel"),
            Segment(id=2, start=4.25, end=5.0, text="(no speaker here)"),
        ],
    )


@pytest.mark.parametrize(("writer", "suffix"), [(to_json, ".json"), (to_vtt, ".vtt"), (to_srt, ".srt")])
def test_writers_round_trip(tmp_path: Path, writer, suffix: str):
    original = sample()
    path = tmp_path / f"t{suffix}"
    path.write_text(writer(original))
    back = read_transcript(path, merge_turns=False)
    got = [(s.start, s.end, s.speaker, s.text) for s in back.segments]
    assert got == [(s.start, s.end, s.speaker, s.text) for s in original.segments]
    if suffix == ".json":
        assert back == original


def test_txt_round_trip_keeps_speaker_text_and_second(tmp_path: Path):
    path = tmp_path / "t.txt"
    path.write_text(to_txt(sample()))
    back = read_transcript(path, merge_turns=False)
    assert [(s.start, s.speaker, s.text) for s in back.segments] == [
        (0.0, "Dana <CFO>", "Hello <all> & co"), (2.0, "Sam Patel", "Thanks: let's start."),
        (4.0, None, "(no speaker here)"),
    ]


def test_vtt_uses_voice_tags_and_escapes():
    vtt = to_vtt(sample())
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.500 --> 00:00:01.400\n")
    assert "<v Dana &lt;CFO&gt;>Hello &lt;all&gt; &amp; co</v>" in vtt


def test_untimed_transcript_cannot_become_subtitles():
    untimed = Transcript(segments=[Segment(id=0, text="hi", speaker="A")])
    with pytest.raises(PipelineError, match="no timestamps"):
        to_vtt(untimed)
    assert to_txt(untimed) == "A: hi\n"


def test_published_schema_is_up_to_date_and_validates_output():
    published = json.loads(SCHEMA_PATH.read_text())
    assert published == transcript_schema(), "regenerate pipelines/schemas/transcript.schema.json"
    jsonschema.validate(json.loads(to_json(sample())), published)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"segments": [{"id": 0}]}, published)


@pytest.mark.parametrize(("doc", "expected"), [
    ({"id": "m"}, "no 'utterances' list"),
    ({"utterances": [{"speaker": "A"}]}, "utterance 0 has no 'text'"),
])
def test_meeting_json_errors_point_at_shipped_help(tmp_path, doc, expected):
    path = tmp_path / "meeting.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(BadInputError) as info:
        read_meeting(path)
    message = str(info.value)
    assert expected in message and '"utterances"' in message and "SCHEMA.md" not in message
    assert (Path(__file__).parents[1] / "pipelines/schemas/account.schema.json").is_file()


def test_one_clock_for_every_time_shown():
    from pipelines.formats import clock
    from worker.render import clock as console_clock

    assert clock(62.3456, ms=".") == "00:01:02.346" and clock(62.3456, ms=",") == "00:01:02,346"
    assert clock(3725.0) == "01:02:05" and clock(None) == "00:00:00"
    assert console_clock(62.9) == clock(62.9, compact=True) == "01:02"
    assert console_clock(3725.0) == "1:02:05" and console_clock(None, [4]) == "turn 4"
