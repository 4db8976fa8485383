"""The job's speakers stage takes per-participant tracks (a Zoom meeting's participant audio)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from audiogen import tone, write_audio

from pipelines.account import Account
from pipelines.limits import Limits
from pipelines.transcript import Segment, Transcript, Word
from worker import stages

RATE = 16000


def test_speakers_stage_names_each_word_by_the_loudest_track(tmp_path: Path):
    half = tone(2.0, RATE)
    quiet = np.zeros_like(half)
    ana = write_audio(tmp_path / "ana.wav", np.concatenate([half, quiet], axis=1), RATE, "pcm_s16le")
    ben = write_audio(tmp_path / "ben.wav", np.concatenate([quiet, half], axis=1), RATE, "pcm_s16le")
    mix = write_audio(tmp_path / "mix.wav", np.concatenate([half, half], axis=1), RATE, "pcm_s16le")
    words = [Word(start=0.2, end=0.8, text="hello"), Word(start=1.0, end=1.6, text="there"),
             Word(start=2.3, end=2.9, text="good"), Word(start=3.1, end=3.7, text="morning")]
    transcript = Transcript(segments=[Segment(id=0, start=0.2, end=3.7, text="hello there good morning",
                                              words=words)])
    out = stages.speakers_stage(transcript, mix, None, Account(account_id="a", name="A"), lambda f: None,
                                Limits(), [("Ana", ana), ("Ben", ben)])
    turns = [(s.speaker, s.text.strip()) for s in out.segments]
    assert turns == [("Ana", "hello there"), ("Ben", "good morning")]
