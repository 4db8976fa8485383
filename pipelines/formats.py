"""Transcripts in and out: JSON (with a published schema), WebVTT, SRT and plain text.

``read_transcript`` takes what meeting platforms export (Zoom/Teams WebVTT, SRT, SBV,
``Name: text`` lines, Zoom chat) or our own JSON and the corpus meeting JSON, so a platform
transcript can skip speech recognition.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipelines.account import Account, check_account
from pipelines.cues import SBV, SRT, Cue, parse_cues, parse_vtt, split_label
from pipelines.errors import BadInputError, PipelineError
from pipelines.fields import name_was_cut
from pipelines.limits import TURN_CHARS, Limits, check_file_size, load_json, too_many
from pipelines.schemas import schema, schema_path
from pipelines.transcript import Participant, Segment, Transcript

SCHEMA_PATH = schema_path("transcript")
MEETING_HINT = ('a meeting JSON has "utterances": [{"speaker": ..., "text": ...}], optional "participants" '
                '[{"speaker": ..., "side": "vendor"|"customer"}] and "account" (see '
                'pipelines/schemas/account.schema.json)')
_SRT_START = re.compile(r"^\d+\s*$")
_SBV_START = re.compile(r"^\s*\d+:\d{1,2}:\d{1,2}\.\d+,\d+:\d{1,2}:\d{1,2}\.\d+\s*$")
_PLAIN = re.compile(r"^\[?(\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)\]?\s+(.*)$")
_TAB_LABEL = re.compile(r"^([^\t:]{1,80}):\t(.*)$")  # Zoom chat: "HH:MM:SS<TAB>Name:<TAB>message"


# ---------------------------------------------------------------------- writers


def transcript_schema() -> dict[str, Any]:
    """The JSON Schema of ``to_json`` output, as published in pipelines/schemas/."""
    return schema("transcript")


def to_json(transcript: Transcript) -> str:
    """The transcript as JSON (segments, words with timestamps, speaker, confidence)."""
    return transcript.model_dump_json(indent=2) + "\n"


def to_vtt(transcript: Transcript) -> str:
    """WebVTT with ``<v Speaker>`` voice tags."""
    blocks = ["WEBVTT"]
    for i, seg in enumerate(_timed(transcript, "WebVTT"), start=1):
        text = _escape_vtt(seg.text.strip())
        voice = f"<v {_escape_vtt(seg.speaker)}>{text}</v>" if seg.speaker else text
        blocks.append(f"{i}\n{clock(seg.start, ms='.')} --> {clock(seg.end, ms='.')}\n{voice}")
    return "\n\n".join(blocks) + "\n"


def to_srt(transcript: Transcript) -> str:
    """SRT; the speaker, when known, leads the text as ``Name: text``."""
    blocks = []
    for i, seg in enumerate(_timed(transcript, "SRT"), start=1):
        text = f"{seg.speaker}: {seg.text.strip()}" if seg.speaker else seg.text.strip()
        blocks.append(f"{i}\n{clock(seg.start, ms=',')} --> {clock(seg.end, ms=',')}\n{text}")
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def to_txt(transcript: Transcript) -> str:
    """One line per turn: ``[hh:mm:ss] Name: text`` (time and name where known)."""
    lines = []
    for seg in transcript.segments:
        head = f"[{clock(seg.start)}] " if seg.start is not None else ""
        name = f"{seg.speaker}: " if seg.speaker else ""
        lines.append(f"{head}{name}{seg.text.strip()}")
    return "\n".join(lines) + ("\n" if lines else "")


def _timed(transcript: Transcript, fmt: str) -> list[Segment]:
    if any(s.start is None or s.end is None for s in transcript.segments):
        raise PipelineError(
            f"this transcript has no timestamps, so it cannot be written as {fmt}; use json or txt"
        )
    return transcript.segments


def clock(seconds: float | None, *, ms: str | None = None, compact: bool = False) -> str:
    """The one time format: ``hh:mm:ss``, with ``ms`` given ``hh:mm:ss<ms>mmm`` (VTT ``.``, SRT
    ``,``); ``compact``: ``mm:ss`` under an hour, else ``h:mm:ss`` (for people reading a console)."""
    total = round(max(0.0, seconds or 0.0) * 1000)
    h, rest = divmod(total, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, millis = divmod(rest, 1000)
    if compact:
        return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
    return f"{h:02d}:{m:02d}:{s:02d}" + (f"{ms}{millis:03d}" if ms is not None else "")


def _escape_vtt(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------- readers


def read_transcript(path: str | Path, *, merge_turns: bool = True,
                    limits: Limits | None = None) -> Transcript:
    """Any supported transcript file as a ``Transcript`` (consecutive cues of one speaker merged
    into turns of up to TURN_CHARS unless ``merge_turns`` is False), within ``limits``; what was
    fixed up on the way is in its ``warnings``."""
    p = Path(path)
    limits = limits or Limits()
    text = _read_text(p, limits)
    kind = _sniff(text, p.suffix.lower())
    if kind == "json":
        return check_transcript(_from_json(p, text, limits), limits, p)
    lines = text.split("\n")
    where = _locator(p)
    if kind == "plain":
        return check_transcript(_plain_transcript(lines, where, merge_turns), limits, p)
    warnings: list[str] = []
    parsers: dict[str, Callable[[], list[Cue]]] = {
        "vtt": lambda: parse_vtt(lines, where, warnings),
        "srt": lambda: parse_cues(lines, 0, SRT, where, warnings),
        "sbv": lambda: parse_cues(lines, 0, SBV, where, warnings),
    }
    cues = parsers[kind]()
    if len(cues) > limits.max_cues:
        raise too_many("number of cues", len(cues), limits.max_cues, "AW_MAX_TRANSCRIPT_CUES", p)
    transcript = _cue_transcript(cues, merge_turns)
    transcript.warnings[:0] = warnings + _cut_names(p, [c.speaker for c in cues])
    return check_transcript(transcript, limits, p)


def check_transcript(transcript: Transcript, limits: Limits, where: str | Path) -> Transcript:
    """The transcript, if it is within ``limits`` (turns, characters, duration)."""
    if len(transcript.segments) > limits.max_cues:
        raise too_many("number of turns", len(transcript.segments), limits.max_cues,
                       "AW_MAX_TRANSCRIPT_CUES", where)
    chars = sum(len(s.text) for s in transcript.segments)
    if chars > limits.max_chars:
        raise too_many("number of characters", chars, limits.max_chars, "AW_MAX_TRANSCRIPT_CHARS", where)
    last = max((t for s in transcript.segments for t in (s.start, s.end) if t is not None), default=0.0)
    if last > limits.max_duration_s:
        raise too_many("last time (s)", round(last), round(limits.max_duration_s), "AW_MAX_DURATION_S", where)
    return transcript


def _cut_names(p: Path, names: list[str | None]) -> list[str]:
    cut = [n for n in dict.fromkeys(names) if n is not None and name_was_cut(n)]
    return [f"{p}: a speaker name of {len(n):,} characters was cut to its first {len(n[:40])} "
            f"characters and '…' ({n[:40]!r}...)" for n in cut[:5]]


def read_meeting(path: str | Path, limits: Limits | None = None) -> tuple[Transcript, Account | None, str]:
    """A corpus meeting JSON (``utterances``, ``participants``, ``account``; example:
    samples/demo-meeting.json) as (transcript, account, meeting id)."""
    p = Path(path)
    limits = limits or Limits()
    data = _json_object(p, _read_text(p, limits), limits)
    if not isinstance(data.get("utterances"), list):
        raise BadInputError(f"{p}: not a meeting JSON (no 'utterances' list); {MEETING_HINT}")
    transcript = check_transcript(_meeting_transcript(p, data, limits), limits, p)
    try:
        account = Account.model_validate(data["account"]) if data.get("account") else None
    except ValidationError as exc:
        raise BadInputError(f"{p}: the 'account' object is invalid: {_first_error(exc)}") from None
    if account is not None:
        check_account(account, limits, p)
    return transcript, account, str(data.get("id") or p.stem)


def _read_text(p: Path, limits: Limits) -> str:
    check_file_size(p, limits)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise BadInputError(f"{p}: cannot read the file ({exc.strerror}); check the path") from None
    if not raw.strip():
        raise BadInputError(f"{p} is empty; export the transcript again")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInputError(
            f"{p}: not a UTF-8 text file (byte {exc.start}); export the transcript as UTF-8 text"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _sniff(text: str, suffix: str) -> str:
    first = next((ln for ln in text.split("\n") if ln.strip()), "")
    if text.startswith("WEBVTT") or suffix == ".vtt":
        return "vtt"
    if first.lstrip().startswith("{") or suffix == ".json":
        return "json"
    if _SBV_START.match(first) or suffix == ".sbv":
        return "sbv"
    if _SRT_START.match(first) or "-->" in first or suffix == ".srt":
        return "srt"
    return "plain"


def _locator(p: Path) -> Callable[[int], str]:
    return lambda line: f"{p}, line {line}"


def _cue_transcript(cues: list[Cue], merge_turns: bool) -> Transcript:
    segments = [Segment(id=0, start=c.start, end=c.end, text=c.text, speaker=c.speaker) for c in cues]
    return _imported(segments, merge_turns)


def _imported(segments: list[Segment], merge_turns: bool) -> Transcript:
    if merge_turns:
        segments = merge_speaker_turns(segments)
    for i, seg in enumerate(segments):
        seg.id = i
    names = dict.fromkeys(s.speaker for s in segments if s.speaker)
    ends = [s.end for s in segments if s.end is not None]
    return Transcript(
        source="import",
        duration=max(ends) if ends else None,
        segments=segments,
        participants=[Participant(name=n) for n in names],
    )


def merge_speaker_turns(segments: list[Segment], max_chars: int = TURN_CHARS) -> list[Segment]:
    """Consecutive segments by the same named speaker become one turn of up to ``max_chars``
    (a longer run is cut between segments into several turns)."""
    out: list[Segment] = []
    parts: list[list[str]] = []
    for seg in segments:
        prev = out[-1] if out else None
        if (prev is not None and seg.speaker and seg.speaker == prev.speaker
                and sum(map(len, parts[-1])) + len(parts[-1]) + len(seg.text) <= max_chars):
            parts[-1].append(seg.text)
            prev.end = seg.end if seg.end is not None else prev.end
            prev.words.extend(seg.words)
        else:
            out.append(seg.model_copy(deep=True))
            parts.append([seg.text])
    for seg, texts in zip(out, parts, strict=True):
        seg.text = " ".join(texts)
    return out


def _plain_transcript(lines: list[str], where: Callable[[int], str], merge_turns: bool) -> Transcript:
    """``Name: text`` lines, optionally after a ``[hh:mm:ss]`` time (Zoom chat: tab separated).

    In a file whose first entry is timed, only timed lines start an entry; other lines continue it.
    """
    segments: list[Segment] = []
    timed: bool | None = None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        start, speaker, text = _plain_entry(line)
        starts_entry = start is not None if timed else (start is not None or speaker is not None)
        if starts_entry:
            timed = start is not None if timed is None else timed
            segments.append(Segment(id=0, start=start, text=text, speaker=speaker))
        elif segments:
            segments[-1].text = f"{segments[-1].text} {line.strip()}".strip()
        else:
            raise BadInputError(
                f"{where(n)}: expected 'Name: text' or a caption file (WebVTT, SRT), "
                f"found {line.strip()[:60]!r}"
            )
    segments = [s for s in segments if s.text]
    return _imported(segments, merge_turns)


def _plain_entry(line: str) -> tuple[float | None, str | None, str]:
    m = _PLAIN.match(line.strip())
    start = _clock(m.group(1)) if m else None
    rest = m.group(2) if m else line
    tab = _TAB_LABEL.match(rest)
    if tab:
        return start, tab.group(1).strip(), tab.group(2).strip()
    speaker, text = split_label(rest.strip())
    return start, speaker, text


def _clock(value: str) -> float:
    seconds = 0.0
    for part in value.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _from_json(p: Path, text: str, limits: Limits) -> Transcript:
    data = _json_object(p, text, limits)
    if isinstance(data.get("utterances"), list):
        return _meeting_transcript(p, data, limits)
    if isinstance(data.get("segments"), list):
        try:
            return Transcript.model_validate(data)
        except ValidationError as exc:
            raise BadInputError(f"{p}: not a valid transcript JSON: {_first_error(exc)}") from None
    raise BadInputError(
        f"{p}: JSON, but neither a transcript (with 'segments') nor a meeting (with 'utterances')"
    )


def _json_object(p: Path, text: str, limits: Limits) -> dict[str, Any]:
    data = load_json(text, p, limits)
    if not isinstance(data, dict):
        raise BadInputError(f"{p}: expected a JSON object at the top level")
    return data


def _meeting_transcript(p: Path, data: dict[str, Any], limits: Limits) -> Transcript:
    if len(data["utterances"]) > limits.max_cues:
        raise too_many("number of utterances", len(data["utterances"]), limits.max_cues,
                       "AW_MAX_TRANSCRIPT_CUES", p)
    listed: list[Any] = data["participants"] if isinstance(data.get("participants"), list) else []
    sides = {
        x["speaker"]: x.get("side") if x.get("side") in ("vendor", "customer") else None
        for x in listed
        if isinstance(x, dict) and isinstance(x.get("speaker"), str)
    }
    segments = []
    for n, u in enumerate(data["utterances"]):
        if not isinstance(u, dict) or not isinstance(u.get("text"), str):
            raise BadInputError(f"{p}: utterance {n} has no 'text'; {MEETING_HINT}")
        speaker = u.get("speaker") if isinstance(u.get("speaker"), str) else None
        side = sides.get(speaker)
        segments.append(Segment(id=n, text=u["text"], speaker=speaker, side=side))
    participants = [Participant(name=name, side=side) for name, side in sides.items() if name]
    return Transcript(source="import", segments=segments, participants=participants)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}"
