"""Benchmark: peak resident memory of the whole job against recording length, with WER and DER.

    .venv/bin/python bench/memory.py [--minutes 10 --minutes 30 ...] [--peer main] [--command process]

Input: real speech, the clips of ../shared/data (four AMI excerpts, the pyannote sample, the
Picovoice clip, jfk, hotwords) joined with half-second pauses and looped to each length, written
as FLAC into a temporary folder (never committed). Each run is a child process
(``python -m worker.cli process REC --account samples/demo-account.json``, or ``transcribe``);
its peak RSS is the child's own ``ru_maxrss`` (``os.wait4``). Peers, measured in the same run on
the same file: the code of ``--peer`` (a git revision, exported with ``git archive``; the
whole-recording path before this change) and a plain decode of the whole file (``decode_audio``,
the floor of any path that holds the recording once).

Word error rate: the words the job put inside the jfk and pyannote-sample spans, against their
human references. Diarization error rate: the job's speaker turns against the reference RTTMs
of the AMI excerpts, the pyannote sample and the Picovoice clip, offset to where each loop put
them (one speaker keeps one label across loops; scored only inside those clips).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.audio import decode_audio  # noqa: E402
from pipelines.der import diarization_error_rate  # noqa: E402
from pipelines.rttm import SpeakerTurn, read_rttm  # noqa: E402

SHARED = ROOT / ".." / "shared" / "data"
MULTI = SHARED / "audio-multispeaker"
SR = 16000
PAUSE_S = 0.5
CLIPS = ["tst00", "tst01", "dev00", "dev01", "sample", "falcon", "jfk", "hotwords"]
FILES = {
    "tst00": MULTI / "pyannote-ami-debug/tst00.wav",
    "tst01": MULTI / "pyannote-ami-debug/tst01.wav",
    "dev00": MULTI / "pyannote-ami-debug/dev00.wav",
    "dev01": MULTI / "pyannote-ami-debug/dev01.wav",
    "sample": MULTI / "pyannote-sample/sample.wav",
    "falcon": MULTI / "picovoice-falcon-test/test.wav",
    "jfk": SHARED / "audio/jfk.flac",
    "hotwords": SHARED / "audio/hotwords.mp3",
}


def normalise(text: str) -> str:
    text = re.sub(r"<[^>]*>|\([^)]*\)|\[[^\]]*\]", " ", text.lower())
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


def clip_turns() -> dict[str, list[SpeakerTurn]]:
    """Reference speaker turns of every clip that has them, in the clip's own seconds."""
    turns = {**read_rttm(MULTI / "pyannote-ami-debug/debug.test.rttm"),
             **read_rttm(MULTI / "pyannote-ami-debug/debug.development.rttm")}
    out = {k: turns[k] for k in ("tst00", "tst01", "dev00", "dev01")}
    out["sample"] = next(iter(read_rttm(MULTI / "pyannote-sample/sample.rttm").values()))
    spec = json.loads((MULTI / "picovoice-falcon-test/test_data.json").read_text())
    out["falcon"] = [SpeakerTurn(start=s["start_sec"], end=s["end_sec"], speaker=f"falcon{s['speaker_tag']}")
                     for s in spec["tests"]["diarization_tests"][0]["segments"]]
    return out


def clip_texts() -> dict[str, str]:
    """Human word references: jfk.ref.txt, and the pyannote sample's STM utterances in time order."""
    stm = (MULTI / "pyannote-sample/sample.stm").read_text().splitlines()
    rows = sorted((float(r.split()[3]), " ".join(r.split()[5:])) for r in stm if r.strip())
    return {"jfk": (SHARED / "audio/jfk.ref.txt").read_text(), "sample": " ".join(t for _, t in rows)}


@dataclass
class LongInput:
    """A looped recording and where each referenced clip sits in it."""

    path: Path
    seconds: float
    spans: dict[str, list[tuple[float, float]]] = field(default_factory=dict)


def build_input(folder: Path, minutes: float) -> LongInput:
    """Loop the clips (with pauses) into a FLAC of ``minutes``, written block by block."""
    audio = {k: decode_audio(p) for k, p in FILES.items()}
    pause = np.zeros(int(PAUSE_S * SR), np.float32)
    target = int(minutes * 60 * SR)
    long = LongInput(folder / f"long-{minutes:g}min.flac", 0.0)
    written = 0
    with sf.SoundFile(long.path, "w", SR, 1, format="FLAC", subtype="PCM_16") as out:
        while written < target:
            for name in CLIPS:
                piece = np.concatenate([audio[name], pause])[: target - written]
                if len(piece) == 0:
                    break
                if len(piece) >= len(audio[name]):  # only whole clips are scored
                    long.spans.setdefault(name, []).append((written / SR, (written + len(audio[name])) / SR))
                out.write(np.clip(piece, -1.0, 1.0))
                written += len(piece)
    long.seconds = written / SR
    return long


def export_tree(revision: str, folder: Path) -> Path:
    """The code of ``revision`` (git archive), to run the same command as it was."""
    archive = ["git", "-C", str(ROOT), "archive", revision]
    data = subprocess.run(archive, check=True, capture_output=True).stdout
    tree = folder / f"peer-{revision.replace('/', '_')}"
    tree.mkdir()
    with tempfile.TemporaryFile() as fh:
        fh.write(data)
        fh.seek(0)
        with tarfile.open(fileobj=fh) as tar:
            tar.extractall(tree, filter="data")
    return tree


@dataclass
class Run:
    side: str
    peak_mb: float
    seconds: float
    data_dir: Path
    ok: bool
    wer: float | None = None
    der: float | None = None


def run_child(side: str, tree: Path, args: list[str], data_dir: Path) -> Run:
    """Run ``python -m worker.cli ARGS`` on ``tree``; peak RSS is the child's own ru_maxrss."""
    env = {**os.environ, "PYTHONPATH": str(tree), "AW_DATA_DIR": str(data_dir)}
    start = time.perf_counter()
    with open(data_dir.parent / f"{data_dir.name}.log", "wb") as log:
        child = subprocess.Popen([sys.executable, *args], cwd=tree, env=env, stdout=log, stderr=log)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    return Run(side, usage.ru_maxrss / 1024, time.perf_counter() - start, data_dir, status == 0)


def job_args(command: str, rec: Path, data_dir: Path) -> list[str]:
    if command == "decode":
        return ["-c", f"from pipelines.audio import decode_audio; decode_audio({str(rec)!r})"]
    if command == "transcribe":
        return ["-m", "worker.cli", "transcribe", str(rec), "-o", str(data_dir / "transcript.json")]
    account = ROOT / "samples" / "demo-account.json"
    return ["-m", "worker.cli", "process", str(rec), "--account", str(account), "--json"]


def job_transcript(run: Run) -> dict | None:
    """The transcript with speakers the job stored (else the transcribe command's output)."""
    found = sorted(run.data_dir.rglob("speakers-*.json")) or sorted(run.data_dir.rglob("transcript.json"))
    return json.loads(found[-1].read_text()) if found else None


def score(run: Run, long: LongInput) -> None:
    """WER inside the spans with a word reference; DER inside the spans with reference turns."""
    import jiwer

    transcript = job_transcript(run)
    if transcript is None:
        return
    words = [w for s in transcript["segments"] for w in (s.get("words") or [])]
    refs, hyps = [], []
    for name, text in clip_texts().items():
        for a, b in long.spans.get(name, []):
            refs.append(normalise(text))
            hyps.append(normalise(" ".join(w["text"] for w in words if a <= (w["start"] + w["end"]) / 2 < b)))
    run.wer = jiwer.wer(refs, hyps) if refs else None
    if not any(s.get("speaker") for s in transcript["segments"]):
        return
    reference, uem = [], []
    for name, turns in clip_turns().items():
        for a, b in long.spans.get(name, []):
            uem.append((a, b))
            reference += [SpeakerTurn(start=a + t.start, end=a + t.end, speaker=t.speaker) for t in turns]
    hypothesis = [SpeakerTurn(start=s["start"], end=s["end"], speaker=s["speaker"])
                  for s in transcript["segments"] if s.get("speaker")]
    run.der = diarization_error_rate(reference, hypothesis, uem=uem).der


def table_rows(long: LongInput, runs: dict[str, Run]) -> list[list[str]]:
    """One row per run, its peak against the peer's (same length) and the plain decode's."""
    decode = runs.get("decode")
    peer = next((r for s, r in runs.items() if s.startswith("peer")), None)
    rows = []
    for run in runs.values():
        rows.append([
            f"{long.seconds / 60:.1f}", run.side + ("" if run.ok else " (FAILED)"), f"{run.peak_mb:.0f}",
            f"{run.peak_mb / peer.peak_mb:.2f}" if peer and run.side != "decode" else "",
            f"{run.peak_mb / decode.peak_mb:.2f}" if decode else "",
            f"{run.seconds:.0f}", _fmt(run.wer), _fmt(run.der),
        ])
    return rows


def print_table(rows: list[list[str]]) -> None:
    head = ["minutes", "side", "peak RSS MB", "vs peer", "vs decode", "seconds", "WER", "DER"]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, ["-" * w for w in widths], *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)), flush=True)


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, action="append", help="default: 10 30 60 120")
    parser.add_argument("--command", choices=["process", "transcribe"], default="process")
    parser.add_argument("--peer", default="main",
                        help="git revision of the peer code ('none' to skip it); the whole-recording path "
                        "is e20c46b, the last main before windows")
    parser.add_argument("--peer-max-minutes", type=float, default=60.0,
                        help="skip the peer above this length (it needs ~45 MB per minute)")
    parser.add_argument("--sides", default="decode,peer,ours", help="which of decode,peer,ours to run")
    parser.add_argument("--keep", type=Path, help="keep the inputs, logs and artifacts in this folder")
    args = parser.parse_args()
    if not SHARED.exists():
        sys.exit(f"{SHARED} is missing: the benchmark needs the shared real-speech clips")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        peer = export_tree(args.peer, folder) if args.peer != "none" else None
        print(f"command: {args.command}; peer: {args.peer}; {os.cpu_count()} CPUs\n", flush=True)
        rows: list[list[str]] = []
        for minutes in args.minutes or [10.0, 30.0, 60.0, 120.0]:
            long = build_input(folder, minutes)
            sides = [("decode", peer or ROOT, "decode"), ("ours", ROOT, args.command)]
            if peer is not None and minutes <= args.peer_max_minutes:
                sides.insert(1, (f"peer {args.peer}", peer, args.command))
            sides = [s for s in sides if s[0].split()[0] in args.sides.split(",")]
            runs: dict[str, Run] = {}
            for side, tree, command in sides:
                data_dir = folder / f"{minutes:g}min-{side.split()[0]}"
                data_dir.mkdir()
                run = run_child(side, tree, job_args(command, long.path, data_dir), data_dir)
                if command != "decode" and run.ok:
                    score(run, long)
                runs[side] = run
            rows += table_rows(long, runs)
            long.path.unlink()
            print_table(rows)
            print(flush=True)


if __name__ == "__main__":
    main()
