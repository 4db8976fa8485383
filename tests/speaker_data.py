"""Real multi-speaker material for the speaker tests: shared clips and synthesized meetings."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).parents[1] / ".." / "shared"
CLIPS = SHARED / "data" / "audio-multispeaker"
MEETINGS = SHARED / "eval" / "meetings"


def shared_file(*parts: str) -> Path:
    """A file of the shared data folder, or skip the test saying what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared test data not found: {path} (tests read ../shared next to the repo)")
    return path


def synth_meeting(meeting_id: str, out_dir: Path, max_turns: int) -> Path:
    """Synthesize a corpus meeting with espeak-ng voices (eval/synth_audio.py); returns the stem.

    Writes <stem>.wav, .timing.json, .rttm and .vtt (reference speaker turns and names).
    """
    script = shared_file("eval", "synth_audio.py")
    meeting = shared_file("eval", "meetings", f"{meeting_id}.json")
    for tool in ("espeak-ng", "ffmpeg"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is needed to synthesize meetings: apt-get install {tool}")
    subprocess.run(
        [sys.executable, str(script), str(meeting), str(out_dir), "--max-turns", str(max_turns)],
        check=True, capture_output=True,
    )
    return out_dir / meeting_id


def timing(stem: Path) -> list[dict]:
    """Reference turns of a synthesized meeting: speaker, start, end, text."""
    return json.loads(Path(f"{stem}.timing.json").read_text())


def reference_speaker(turns: list[dict], start: float, end: float, slack: float = 0.1) -> str | None:
    """Who speaks the word at start..end: the one reference turn that holds it (give or take
    ``slack`` seconds); None for a word straddling two turns (ASR times are not that exact)."""
    holders = {t["speaker"] for t in turns if t["start"] - slack <= start and end <= t["end"] + slack}
    return holders.pop() if len(holders) == 1 else None


def confusion(transcript, turns: list[dict]) -> tuple[int, int]:
    """(words attributed to someone else than the reference speaker, words scored)."""
    wrong = scored = 0
    for seg in transcript.segments:
        for w in seg.words:
            ref = reference_speaker(turns, w.start, w.end)
            if ref is not None:
                scored += 1
                wrong += seg.speaker != ref
    return wrong, scored
