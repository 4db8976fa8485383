"""Benchmark: CPU time of ``analyze`` (and of the account update) against the number of turns.

    python bench/analyze_turns.py [--turns 1000,4000,12000] [--profile]

The meeting is the invented test meeting (tests/analysis_meeting.py, 3 speakers, 21 turns) repeated
to N turns, so every extractor finds highlights in proportion. Its turns repeat, so the sentence
encoder embeds each distinct sentence once and reuses the vector (the same numbers it would give
again): what is left is the cost that depends on the number of turns — spaCy, the features, the
extractors, the update. Reported in CPU seconds of this process (they hold on a shared machine), per
1,000 turns; flat means linear. ``--profile`` prints our functions with the most time.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from analysis_meeting import ACCOUNT, TURNS  # noqa: E402

import models.encoder as encoder  # noqa: E402
from pipelines.account_state import AccountState  # noqa: E402
from pipelines.analyze import analyze  # noqa: E402
from pipelines.transcript import Segment, Transcript  # noqa: E402
from pipelines.update import build_update  # noqa: E402

_encode = encoder.encode


def encode_distinct(texts: list[str], batch_size: int = encoder.BATCH_SIZE) -> np.ndarray:
    """The real encoder, each distinct text embedded once."""
    distinct = list(dict.fromkeys(texts))
    if not distinct:
        return _encode(texts, batch_size)
    emb = _encode(distinct, batch_size)
    at = {t: i for i, t in enumerate(distinct)}
    return emb[[at[t] for t in texts]]


def meeting(n: int) -> Transcript:
    return Transcript(source="import", segments=[
        Segment(id=i, text=TURNS[i % len(TURNS)][1], speaker=TURNS[i % len(TURNS)][0], start=3.0 * i,
                end=3.0 * i + 2.5) for i in range(n)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--turns", default="1000,4000,12000")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    encoder.encode = encode_distinct  # type: ignore[assignment]
    analyze(meeting(30), ACCOUNT, "warm")
    for n in (int(x) for x in args.turns.split(",")):
        t = meeting(n)
        prof = cProfile.Profile() if args.profile else None
        c0 = time.process_time()
        if prof:
            prof.enable()
        result = analyze(t, ACCOUNT, f"turns-{n}")
        c1 = time.process_time()
        update = build_update(result, AccountState.from_account(ACCOUNT))
        c2 = time.process_time()
        if prof:
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats("pipelines", 8)
        print(f"{n:>6} turns: analyze {c1 - c0:7.1f} CPU s ({(c1 - c0) / n * 1000:5.2f} per 1,000 turns), "
              f"update {c2 - c1:5.1f} CPU s; {len(result.highlights)} highlights, "
              f"{len(update.changes)} changes", flush=True)


if __name__ == "__main__":
    main()
