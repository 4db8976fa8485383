"""Benchmark: analysis time against the number of transcript cues (is it linear?).

    python bench/analyze_scale.py [--cues 5000,20000] [--speakers 1]

Writes an invented WebVTT transcript of N cues (``--speakers`` voices taking turns in runs of
cues; with 1, every cue is one speaker's, so reading merges them into long turns), then times
``read_transcript`` + ``analyze`` on it, models loaded and warmed before the clock starts. Each
size is printed with its wall and CPU seconds (CPU time of this process, all threads: the figure
that holds on a machine shared with other work), CPU seconds per 1,000 cues and their ratio to the
first size's (1.0 = linear). A transcript the limits refuse is reported with the error.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from pipelines.analyze import analyze  # noqa: E402
from pipelines.errors import BadInputError  # noqa: E402
from pipelines.formats import clock, read_transcript  # noqa: E402

LINES = [
    "We moved the weekly report to Mondays so the depot leads see it first.",
    "The import job failed twice last month when the file had empty rows.",
    "Can you check whether the new dashboard counts cancelled orders?",
    "Our finance team wants the invoices split by region from next quarter.",
    "I think the training went well, most of the night shift uses it now.",
    "Let's book another session once the second warehouse is live.",
    "The API limits were fine during the holiday peak, no throttling at all.",
    "We still export a spreadsheet by hand every Friday afternoon.",
]


def write_vtt(path: Path, cues: int, speakers: int) -> None:
    """``cues`` cues, 0.7 s apart (20,000 fit in the 4-hour limit); the voice changes every 7 cues
    among ``speakers`` names."""
    blocks = ["WEBVTT"]
    for i in range(cues):
        who = f"Speaker {(i // 7) % speakers + 1}"
        blocks.append(f"{clock(0.7 * i, ms='.')} --> {clock(0.7 * i + 0.6, ms='.')}\n"
                      f"<v {who}>{LINES[i % len(LINES)]}</v>")
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cues", default="5000,20000", help="comma-separated cue counts")
    ap.add_argument("--speakers", type=int, default=1)
    args = ap.parse_args()
    sizes = [int(x) for x in args.cues.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm.vtt"
        write_vtt(warm, 20, 2)
        analyze(read_transcript(warm), None, "warm")
        first: float | None = None
        for n in sizes:
            path = Path(tmp) / f"{n}.vtt"
            write_vtt(path, n, args.speakers)
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                transcript = read_transcript(path)
                analyze(transcript, None, f"scale-{n}")
            except (BadInputError, ValueError) as e:  # spaCy: a text over nlp.max_length
                print(f"{n:>7} cues: refused after {time.perf_counter() - t0:.1f} s: {e}", flush=True)
                continue
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
            per_k = cpu / n * 1000
            first = first or per_k
            print(f"{n:>7} cues, {len(transcript.segments):>6} turns: {seconds:8.1f} s wall, "
                  f"{cpu:8.1f} s CPU, {per_k:6.2f} CPU s per 1,000 cues, "
                  f"x{per_k / first:.2f} per cue vs {sizes[0]}", flush=True)


if __name__ == "__main__":
    main()
