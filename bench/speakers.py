"""Benchmark: speaker attribution time as a share of transcription time, same recording, same run.

    .venv/bin/python bench/speakers.py [--model tiny.en] [--threads 2] [--repeats 2]

For each recording: the transcription stage (pipelines.transcribe, faster-whisper) and the
voice-clustering speaker stage (pipelines.speakers.attribute_speakers: VAD, Resemblyzer
embeddings, clustering, word assignment, naming) are timed on the same audio; models are
loaded and warmed before the clock starts, the median of the repeats is kept. Recordings: the
pyannote sample (30 s), the Picovoice clip (19 s), the four AMI excerpts joined (2 min) and a
synthesized 40-turn meeting (~4.5 min, ../shared/eval/synth_audio.py). Goal (issue 6): <= 15%.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from pipelines.audio import decode_audio  # noqa: E402
from pipelines.speakers import attribute_speakers  # noqa: E402
from pipelines.transcribe import TranscribeOptions, load_model, transcribe  # noqa: E402

SHARED = ROOT / ".." / "shared"
CLIPS = SHARED / "data" / "audio-multispeaker"


def recordings(folder: Path) -> dict[str, Path]:
    """The benchmark recordings as 16 kHz wav files in ``folder``."""
    import subprocess

    out = {"pyannote sample": CLIPS / "pyannote-sample" / "sample.wav",
           "picovoice test": CLIPS / "picovoice-falcon-test" / "test.wav"}
    excerpts = ("tst00", "tst01", "dev00", "dev01")
    ami = [decode_audio(CLIPS / "pyannote-ami-debug" / f"{k}.wav") for k in excerpts]
    out["AMI x4 joined"] = folder / "ami.wav"
    sf.write(out["AMI x4 joined"], np.concatenate(ami), 16000)
    meeting = SHARED / "eval" / "meetings" / "dev-001.json"
    subprocess.run([sys.executable, str(SHARED / "eval" / "synth_audio.py"), str(meeting), str(folder),
                    "--max-turns", "40"], check=True, capture_output=True)
    out["synth dev-001"] = folder / "dev-001.wav"
    return out


def timed(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median seconds over ``repeats`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--threads", type=int, default=2, help="ASR CPU threads (production default: all)")
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    options = TranscribeOptions(model=args.model, cpu_threads=args.threads)
    from models.nlp import load_nlp
    from models.speaker import warm_up

    t0 = time.perf_counter()
    warm_up()
    print(f"voice encoder load + numba warm-up (once per process): {time.perf_counter() - t0:.1f} s")
    load_nlp()  # names in introductions are checked with spaCy, which the analysis stage loads anyway
    load_model(options)
    print(f"{'recording':18s} {'audio s':>8s} {'ASR s':>7s} {'speakers s':>10s} {'share':>6s}")
    shares = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in recordings(Path(tmp)).items():
            audio = decode_audio(path)
            asr_s, transcript = timed(lambda p=path: transcribe(p, options), args.repeats)
            spk_s, _ = timed(lambda a=audio, t=transcript: attribute_speakers(t, a), args.repeats)
            shares.append(spk_s / asr_s)
            print(f"{name:18s} {len(audio) / 16000:8.1f} {asr_s:7.2f} {spk_s:10.2f} {spk_s / asr_s:6.1%}")
    print(f"speaker attribution / transcription: median {statistics.median(shares):.1%}, "
          f"max {max(shares):.1%} (goal <= 15%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
