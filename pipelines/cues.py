"""Timed-caption files (WebVTT, SRT, SBV) read into cues: times, speaker and plain text.

Lenient where real exports bend the rules (Teams' ``0:0:5.320`` times, a timing line right
after cue text, BOMs, CRLF), strict where a line cannot be understood: that is a
``BadInputError`` naming the file and line.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from pipelines.errors import BadInputError

_TS = r"(?:(\d{1,7}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?"
_ARROW_TIMING = re.compile(rf"^\s*{_TS}\s*-->\s*{_TS}(?:\s+.*)?$")
_SBV_TIMING = re.compile(rf"^\s*{_TS},{_TS}\s*$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>")
# Markup of WebVTT cue text and SRT (classes, styles, voices, karaoke times); other "<...>" is text.
_TAG = re.compile(r"</?(?:c|i|b|u|v|ruby|rt|lang|font)(?:[.\s][^>]*)?>|<\d[\d:.]*>", re.IGNORECASE)
# Zoom puts "Display Name: text" in the cue; a name has a few words and no sentence punctuation.
_LABEL = re.compile(r"^\s*([^\s:\-][^:\t]{0,59}?):\s+(\S.*)$")
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass
class Cue:
    """One caption: its time span, the speaker if the file names one, and its text."""

    start: float
    end: float
    text: str
    speaker: str | None
    line: int


class CueSyntax:
    """How one caption format marks timing lines and cue identifiers."""

    def __init__(self, name: str, timing: re.Pattern[str], numeric_ids: bool) -> None:
        self.name = name
        self.timing = timing
        self.numeric_ids = numeric_ids

    def is_timing(self, line: str) -> bool:
        return ("-->" in line) if self.timing is _ARROW_TIMING else bool(self.timing.match(line))


VTT = CueSyntax("WebVTT", _ARROW_TIMING, numeric_ids=False)
SRT = CueSyntax("SRT", _ARROW_TIMING, numeric_ids=True)
SBV = CueSyntax("SBV", _SBV_TIMING, numeric_ids=True)


def parse_vtt(lines: list[str], where: Callable[[int], str], warnings: list[str] | None = None) -> list[Cue]:
    """Cues of a WebVTT file (header, metadata headers, NOTE/STYLE/REGION blocks skipped);
    what had to be fixed up is appended to ``warnings``."""
    if not lines or not lines[0].startswith("WEBVTT"):
        raise BadInputError(f"{where(1)}: a WebVTT file must start with 'WEBVTT'")
    i = 1
    while i < len(lines) and lines[i].strip():  # metadata headers run up to the first blank line
        i += 1
    return parse_cues(lines, i, VTT, where, warnings)


def parse_cues(lines: list[str], i: int, syntax: CueSyntax, where: Callable[[int], str],
               warnings: list[str] | None = None) -> list[Cue]:
    """Cue blocks from line ``i`` on: optional identifier, timing line, text lines; a cue that ends
    before it starts is given its start as end, with a warning in ``warnings``."""
    cues: list[Cue] = []
    backwards: list[int] = []
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if syntax is VTT and line.split(" ", 1)[0].strip() in _SKIPPED_BLOCKS:
            i = _skip_block(lines, i)
            continue
        if not syntax.is_timing(line):
            _check_identifier(lines, i, syntax, where)
            i += 1
        start, end = parse_timing(lines[i], syntax, where(i + 1))
        if end < start:
            backwards.append(i + 1)
            end = start
        first = i + 1
        i += 1
        while i < n and lines[i].strip() and not syntax.is_timing(lines[i]):
            i += 1
        cues.extend(_cues_from_text(start, end, lines[first:i], first + 1))
    if backwards and warnings is not None:
        more = f" and {len(backwards) - 1} more" if len(backwards) > 1 else ""
        warnings.append(f"{where(backwards[0])}{more}: a cue ends before it starts; its end was set "
                        "to its start")
    return _drop_rolled_lines(cues)


def _skip_block(lines: list[str], i: int) -> int:
    while i < len(lines) and lines[i].strip():
        i += 1
    return i


def _check_identifier(lines: list[str], i: int, syntax: CueSyntax, where: Callable[[int], str]) -> None:
    if syntax.numeric_ids and not lines[i].strip().isdigit():
        raise BadInputError(f"{where(i + 1)}: expected a cue number or a timing line, "
                            f"found {lines[i].strip()[:60]!r}")
    if i + 1 >= len(lines) or not syntax.is_timing(lines[i + 1]):
        raise BadInputError(
            f"{where(i + 2)}: expected a {syntax.name} timing line after cue {lines[i].strip()[:60]!r}"
        )


def parse_timing(line: str, syntax: CueSyntax, where: str) -> tuple[float, float]:
    """(start, end) seconds of a timing line, as written (the end may be before the start)."""
    m = syntax.timing.match(line)
    if not m:
        raise BadInputError(f"{where}: cannot read the {syntax.name} timing line "
                            f"{line.strip()[:80]!r}")
    g = m.groups()
    start, end = _seconds(*g[:4]), _seconds(*g[4:8])
    return start, end


def _seconds(h: str | None, m: str, s: str, frac: str | None) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + (float(f"0.{frac}") if frac else 0.0)


def _cues_from_text(start: float, end: float, text_lines: list[str], line: int) -> list[Cue]:
    """One cue per voice in the text (usually one), speaker from ``<v>`` tags, JSON or a label."""
    raw = "\n".join(text_lines).strip()
    if not raw:
        return []
    payload = _teams_metadata(raw)
    if payload is not None:
        return [Cue(start, end, payload[1], payload[0], line)]
    voices = list(_VOICE.finditer(raw))
    if voices:
        spans = [(html.unescape(v.group(1).strip()), raw[v.end() : nxt.start() if nxt else len(raw)])
                 for v, nxt in zip(voices, [*voices[1:], None], strict=True)]
        return [Cue(start, end, t, who, line) for who, body in spans if (t := clean_text(body))]
    text = clean_text(raw)
    speaker, text = split_label(text)
    return [Cue(start, end, text, speaker, line)] if text else []


def _teams_metadata(raw: str) -> tuple[str | None, str] | None:
    """(speaker, text) of a Teams ``metadataContent`` cue, whose payload is a JSON object."""
    if not raw.startswith("{"):
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or "spokenText" not in data:
        return None
    return data.get("speakerName"), clean_text(str(data["spokenText"]))


def clean_text(raw: str) -> str:
    """Cue text without tags, inline timestamps or entities, on one line."""
    return " ".join(html.unescape(_TAG.sub("", raw)).split())


def split_label(text: str) -> tuple[str | None, str]:
    """("Name", "text") for ``Name: text`` (Zoom style), else (None, text)."""
    m = _LABEL.match(text)
    if not m or len(m.group(1).split()) > 6:
        return None, text
    return m.group(1).strip(), m.group(2).strip()


def _drop_rolled_lines(cues: list[Cue]) -> list[Cue]:
    """YouTube-style rolling captions repeat the previous cue's text first: keep only what is new."""
    out: list[Cue] = []
    for cue in cues:
        prev = out[-1] if out else None
        if prev and prev.speaker == cue.speaker and cue.text.startswith(prev.text + " "):
            cue.text = cue.text[len(prev.text) + 1 :]
        if prev and prev.speaker == cue.speaker and cue.text == prev.text and cue.start <= prev.end + 0.05:
            prev.end = max(prev.end, cue.end)
            continue
        out.append(cue)
    return out
