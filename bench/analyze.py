"""Benchmark: analysis speed, its share of transcription time, and robustness to speech recognition.

    .venv/bin/python bench/analyze.py [--meetings dev-001,dev-004,dev-010] [--turns 40] [--model tiny.en]

1. Throughput: turns per second of ``analyze`` over the whole dev corpus (../shared/eval/meetings),
   models loaded and warmed once before the clock starts.
2. Share: for each chosen meeting, its first N turns are synthesized (../shared/eval/synth_audio.py),
   transcribed (pipelines.transcribe, same run) and analyzed; analysis time / transcription time
   (goal, issue 4: <= 5%).
3. ASR robustness: heads trained without the chosen meetings analyze (a) the written first N turns and
   (b) the ASR transcript with speakers taken from the synthesis timing (oracle diarization, so only
   the recognition errors differ); both are scored against the gold items inside those N turns.
   Reported: core macro F1 of each and the drop (goal: <= 0.05).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from models.heads import load_heads  # noqa: E402
from pipelines.analyze import scoring  # noqa: E402
from pipelines.analyze.corpus import LabeledMeeting, load_folder  # noqa: E402
from pipelines.analyze.engine import analyze  # noqa: E402
from pipelines.analyze.training import train  # noqa: E402
from pipelines.analyze.training_set import CORPUS_REPEATS, examples, training_examples  # noqa: E402
from pipelines.formats import merge_speaker_turns  # noqa: E402
from pipelines.transcribe import TranscribeOptions, load_model, transcribe  # noqa: E402
from pipelines.transcript import Transcript  # noqa: E402

SHARED = ROOT / ".." / "shared"
MEETINGS = SHARED / "eval" / "meetings"


def throughput(meetings: list[LabeledMeeting]) -> float:
    """Turns per second of the whole analysis over the meetings (models already warm)."""
    turns = sum(len(m.transcript.segments) for m in meetings)
    t0 = time.perf_counter()
    for m in meetings:
        analyze(m.transcript, m.account, m.meeting_id)
    return turns / (time.perf_counter() - t0)


def truncated(raw: dict, n: int) -> dict:
    """The meeting's first ``n`` turns and the gold items that lie inside them."""
    out = dict(raw, utterances=raw["utterances"][:n])
    gold = {}
    for key, items in raw["gold"].items():
        if key == "advocacy":
            sig = [s for s in items.get("signals", []) if s["utterance"] < n]
            gold[key] = {"flag": items.get("flag", False) and bool(sig), "signals": sig}
        else:
            gold[key] = [i for i in items if all(u < n for u in (i.get("utterances") or [i["utterance"]]))]
    out["gold"] = gold
    return out


def with_speakers(asr: Transcript, timing: list[dict], written: Transcript) -> Transcript:
    """ASR segments labelled with the synthesized speaker they overlap most, then merged into turns."""
    sides = {p.name: p.side for p in written.participants}
    segments = []
    for seg in asr.segments:
        def overlap(t: dict, s=seg) -> float:
            return min(t["end"], s.end or 0) - max(t["start"], s.start or 0)
        best = max(timing, key=overlap)
        who = best["speaker"]
        segments.append(seg.model_copy(update={"speaker": who, "side": sides.get(who)}))
    merged = merge_speaker_turns(segments)
    for i, s in enumerate(merged):
        s.id = i
    return Transcript(source="asr", segments=merged, participants=written.participants)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--meetings", default="dev-001,dev-004,dev-010")
    ap.add_argument("--turns", type=int, default=40)
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=None, help="feature cache folder for the training pool")
    args = ap.parse_args()
    corpus = load_folder(MEETINGS)
    options = TranscribeOptions(model=args.model, cpu_threads=args.threads)
    load_model(options)
    heads = load_heads()
    analyze(corpus[0].transcript, corpus[0].account, "warm-up")
    tps = throughput(corpus)
    print(f"analysis throughput: {tps:.1f} turns/s over {sum(len(m.transcript.segments) for m in corpus)} "
          f"turns ({len(corpus)} meetings, models loaded once)")

    chosen = [m for m in corpus if m.meeting_id in args.meetings.split(",")]
    held = {m.meeting_id for m in chosen}
    pool = examples([m for m in corpus if m.meeting_id not in held], args.cache, CORPUS_REPEATS) + [
        ex for ex in training_examples([], args.cache) if ex.meeting.meeting_id not in held
    ]
    heads_out = train(pool)  # the chosen meetings are unseen by these heads
    print(f"{'meeting':9s} {'audio s':>8s} {'ASR s':>7s} {'analysis s':>10s} {'share':>6s}")
    written_preds, asr_preds, raws = {}, {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for m in chosen:
            subprocess.run([sys.executable, str(SHARED / "eval" / "synth_audio.py"), str(m.path), tmp,
                            "--max-turns", str(args.turns)], check=True, capture_output=True)
            wav = Path(tmp) / f"{m.meeting_id}.wav"
            timing = json.loads((Path(tmp) / f"{m.meeting_id}.timing.json").read_text())
            t0 = time.perf_counter()
            asr = transcribe(wav, options)
            asr_s = time.perf_counter() - t0
            asr = with_speakers(asr, timing, m.transcript)
            t0 = time.perf_counter()
            analyze(asr, m.account, m.meeting_id, heads)  # the shipped heads, as in production
            an_s = time.perf_counter() - t0
            print(f"{m.meeting_id:9s} {timing[-1]['end']:8.1f} {asr_s:7.2f} {an_s:10.2f} {an_s / asr_s:6.1%}")
            written = m.transcript.model_copy(update={"segments": m.transcript.segments[: args.turns]})
            written_preds[m.meeting_id] = analyze(written, m.account, m.meeting_id, heads_out).model_dump(
                mode="json")
            asr_preds[m.meeting_id] = analyze(asr, m.account, m.meeting_id, heads_out).model_dump(mode="json")
            raws.append(truncated(json.loads(m.path.read_text()), args.turns))
    a = scoring.score(raws, written_preds)
    b = scoring.score(raws, asr_preds)
    print(f"ASR robustness ({len(chosen)} meetings, first {args.turns} turns, unseen by the heads):")
    for cat in scoring.CORE:
        fa, fb = a["categories"][cat]["f1"], b["categories"][cat]["f1"]
        print(f"  {cat:<20} written F1 {fa:.3f}  ASR F1 {fb:.3f}")
    drop = a["core_macro_f1"] - b["core_macro_f1"]
    print(f"core macro F1 written {a['core_macro_f1']:.3f}, ASR {b['core_macro_f1']:.3f}, drop {drop:+.3f} "
          "(goal <= 0.05)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
