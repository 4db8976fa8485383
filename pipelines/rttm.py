"""Speaker turns (who spoke when) and the RTTM format that diarization tools exchange them in."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from pipelines.errors import BadInputError


class SpeakerTurn(BaseModel):
    """A stretch of time in which one speaker talks (seconds)."""

    start: float
    end: float
    speaker: str

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


def parse_rttm(text: str, source: str = "RTTM") -> dict[str, list[SpeakerTurn]]:
    """Turns per file id from RTTM text (``SPEAKER file chan start dur <NA> <NA> name ...``)."""
    turns: dict[str, list[SpeakerTurn]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields or fields[0].startswith(";") or fields[0] != "SPEAKER":
            continue
        try:
            start, duration, name = float(fields[3]), float(fields[4]), fields[7]
        except (IndexError, ValueError) as exc:
            raise BadInputError(
                f"{source} line {number} is not a valid RTTM SPEAKER line: {line!r}; "
                "expected 'SPEAKER file 1 start duration <NA> <NA> speaker <NA> <NA>'"
            ) from exc
        turns.setdefault(fields[1], []).append(SpeakerTurn(start=start, end=start + duration, speaker=name))
    return turns


def read_rttm(path: str | Path) -> dict[str, list[SpeakerTurn]]:
    """Turns per file id from an RTTM file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInputError(f"cannot read RTTM file {path}: {exc.strerror}; check the path") from exc
    return parse_rttm(text, source=str(path))


def to_rttm(turns: list[SpeakerTurn], file_id: str) -> str:
    """RTTM text for one file's turns (speaker names with spaces get underscores)."""
    return "".join(
        f"SPEAKER {file_id} 1 {t.start:.3f} {t.duration:.3f} <NA> <NA> "
        f"{t.speaker.replace(' ', '_')} <NA> <NA>\n"
        for t in sorted(turns, key=lambda t: (t.start, t.end))
    )


def read_uem(path: str | Path) -> dict[str, list[tuple[float, float]]]:
    """Scored regions per file id from a UEM file (``file channel start end``)."""
    regions: dict[str, list[tuple[float, float]]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) >= 4:
            regions.setdefault(fields[0], []).append((float(fields[2]), float(fields[3])))
    return regions
