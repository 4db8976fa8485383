"""Benchmark: our transcription stage against plain faster-whisper, and batched against sequential.

One process, one run, the same model object and decoding options for both sides:

    .venv/bin/python bench/transcribe.py [--model tiny.en --model base] [--repeats 2] [--threads 2]

Input: >= 3 minutes of real speech, the clips of ../shared/data/audio and audio-multispeaker joined
with half-second pauses. Word error rate is measured on the clips that have a human reference
(jfk, the pyannote sample). Peak memory is the growth of this process's RSS during each run.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.whisper import load_whisper  # noqa: E402
from pipelines.audio import decode_audio  # noqa: E402
from pipelines.transcribe import TranscribeOptions, transcribe, whisper_kwargs  # noqa: E402

SHARED = ROOT / ".." / "shared" / "data"
CLIPS = [
    "audio-multispeaker/pyannote-ami-debug/tst00.wav",
    "audio-multispeaker/pyannote-ami-debug/tst01.wav",
    "audio-multispeaker/pyannote-ami-debug/dev00.wav",
    "audio-multispeaker/pyannote-ami-debug/dev01.wav",
    "audio-multispeaker/pyannote-sample/sample.wav",
    "audio-multispeaker/picovoice-falcon-test/test.wav",
    "audio/jfk.flac",
    "audio/hotwords.mp3",
]
SR = 16000


def references() -> dict[str, str]:
    """Human references: jfk.ref.txt, and the pyannote sample's STM utterances in time order."""
    stm = (SHARED / "audio-multispeaker/pyannote-sample/sample.stm").read_text().splitlines()
    rows = sorted((float(r.split()[3]), " ".join(r.split()[5:])) for r in stm if r.strip())
    return {
        "audio/jfk.flac": (SHARED / "audio/jfk.ref.txt").read_text(),
        "audio-multispeaker/pyannote-sample/sample.wav": " ".join(text for _, text in rows),
    }


def normalise(text: str) -> str:
    text = re.sub(r"<[^>]*>|\([^)]*\)|\[[^\]]*\]", " ", text.lower())
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


def write_wav(path: Path, audio: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def build_long(folder: Path) -> tuple[Path, float]:
    pause = np.zeros(SR // 2, np.float32)
    parts = [piece for clip in CLIPS for piece in (decode_audio(SHARED / clip), pause)]
    audio = np.concatenate(parts)
    return write_wav(folder / "long.wav", audio), len(audio) / SR


class PeakRss:
    """Samples this process's resident memory in a thread; ``extra_mb`` is the peak growth."""

    def __enter__(self) -> PeakRss:
        self.base = self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())

    @property
    def extra_mb(self) -> float:
        return (self.peak - self.base) / 2**20


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096


def plain(model: Any, path: Path, options: TranscribeOptions) -> str:
    """Plain faster-whisper with the same options our stage passes."""
    kwargs = whisper_kwargs(options)
    if options.batch_size > 1:
        from faster_whisper import BatchedInferencePipeline

        batched = BatchedInferencePipeline(model)
        segments, _ = batched.transcribe(str(path), batch_size=options.batch_size, **kwargs)
    else:
        segments, _ = model.transcribe(
            str(path), hallucination_silence_threshold=options.hallucination_silence_threshold, **kwargs
        )
    return " ".join(s.text.strip() for s in segments)


def ours(path: Path, options: TranscribeOptions) -> str:
    return transcribe(path, options).text


def timed_pair(
    first: Callable[[], str], second: Callable[[], str], repeats: int
) -> list[tuple[float, float, str]]:
    """(best seconds, peak extra MB, text) of each; the two interleaved so load drifts hit both."""
    runs: list[list[tuple[float, float]]] = [[], []]
    texts = ["", ""]
    for _ in range(repeats):
        for k, run in enumerate((first, second)):
            with PeakRss() as mem:
                start = time.perf_counter()
                texts[k] = run()
                elapsed = time.perf_counter() - start
            runs[k].append((elapsed, mem.extra_mb))
    return [
        (min(t for t, _ in r), max(m for _, m in r), text)
        for r, text in zip(runs, texts, strict=True)
    ]


def wer(options: TranscribeOptions) -> float:
    """Word error rate over the clips with a human reference, transcribed by our stage."""
    import jiwer

    refs = references()
    hyps = [normalise(transcribe(SHARED / clip, options).text) for clip in refs]
    return jiwer.wer([normalise(r) for r in refs.values()], hyps)


def bench_model(name: str, long: Path, seconds: float, args: argparse.Namespace) -> list[list[str]]:
    rows = []
    modes = {"sequential": 1, f"batched({args.batch_size})": args.batch_size}
    results = {}
    for mode, batch in modes.items():
        options = TranscribeOptions(
            model=name, cpu_threads=args.threads, batch_size=batch, model_cache_dir=args.cache
        )
        model = load_whisper(name, options.device, options.compute_type, args.threads, cache_dir=args.cache)
        ours(SHARED / "audio/jfk.flac", options)  # warm up: model loaded, caches filled
        (a_time, _, _), (b_time, b_mem, text) = timed_pair(
            lambda o=options, m=model: plain(m, long, o), lambda o=options: ours(long, o), args.repeats
        )
        results[mode] = (a_time, b_time, b_mem, wer(options), text)
        rows.append([name, mode, f"{a_time:.2f}", f"{b_time:.2f}", f"{b_time / a_time:.3f}",
                     f"{seconds / b_time:.1f}x", f"{b_time / seconds:.3f}", f"{b_mem:.0f}",
                     f"{results[mode][3]:.3f}"])
    seq, bat = results["sequential"], results[f"batched({args.batch_size})"]
    import jiwer

    differ = jiwer.wer(normalise(seq[4]), normalise(bat[4]))
    rows.append([name, "batched vs sequential", "", "", "", f"{seq[1] / bat[1]:.2f}x faster", "",
                 f"{bat[2] - seq[2]:+.0f}", f"{bat[3] - seq[3]:+.3f}"])
    rows.append([name, "  words differing, long input", "", "", "", "", "", "", f"{differ:.3f}"])
    counts = f"{len(normalise(bat[4]).split())} vs {len(normalise(seq[4]).split())}"
    rows.append([name, "  words output, batched vs seq", "", "", "", counts, "", "", ""])
    return rows


def decode_memory(folder: Path, minutes: float) -> None:
    """Peak RSS growth while decoding a long recording: ours against faster-whisper's decode_audio."""
    from faster_whisper.audio import decode_audio as fw_decode

    speech = decode_audio(SHARED / CLIPS[0])
    repeats = int(minutes * 60 * SR / len(speech)) + 1
    path = write_wav(folder / "hour.wav", np.tile(speech, repeats)[: int(minutes * 60 * SR)])
    array_mb = minutes * 60 * SR * 4 / 2**20
    print(f"\ndecode of a {minutes:.0f}-minute WAV (the float32 result itself is {array_mb:.0f} MB):")
    for label, run in (("faster_whisper.decode_audio", lambda: fw_decode(str(path))),
                       ("ours (pipelines.audio)", lambda: decode_audio(path))):
        with PeakRss() as mem:
            start = time.perf_counter()
            result = run()
            elapsed = time.perf_counter() - start
        del result
        share = mem.extra_mb / array_mb
        print(f"  {label:<28} peak +{mem.extra_mb:5.0f} MB = {share:.2f}x the result, {elapsed:.1f} s")


def print_table(rows: list[list[str]]) -> None:
    head = ["model", "mode", "plain s", "ours s", "ours/plain", "speed", "RTF", "peak +MB", "WER"]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, ["-" * w for w in widths], *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", action="append", help="tiny.en (default), base, ...")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--decode-minutes", type=float, default=60.0, help="0 to skip the memory check")
    parser.add_argument("--cache", type=Path, default=ROOT / "data" / "models" / "whisper-base")
    args = parser.parse_args()
    if not SHARED.exists():
        sys.exit(f"{SHARED} is missing: the benchmark needs the shared real-speech clips")
    with tempfile.TemporaryDirectory() as tmp:
        long, seconds = build_long(Path(tmp))
        print(f"input: {len(CLIPS)} real clips joined, {seconds:.1f} s; {args.threads} threads, int8, "
              f"best of {args.repeats}; WER on jfk + pyannote sample (human references)\n")
        rows = [row for name in args.model or ["tiny.en"] for row in bench_model(name, long, seconds, args)]
        print_table(rows)
        if args.decode_minutes > 0:
            decode_memory(Path(tmp), args.decode_minutes)


if __name__ == "__main__":
    main()
