"""Analysis work grows with the number of turns, not its square: what every candidate turn reads is
worked out once per meeting (counted calls here; tests never time anything)."""
from __future__ import annotations

import numpy as np
import pytest

from pipelines.analyze import features
from pipelines.analyze.features import MeetingFeatures


def meeting(n: int) -> MeetingFeatures:
    sentences = [["One.", "Two."] if i % 2 else ["Only."] for i in range(n)]
    count = sum(map(len, sentences))
    return MeetingFeatures(
        texts=[" ".join(s) for s in sentences], speakers=["A" if i % 3 else "B" for i in range(n)],
        sides=["customer" if i % 3 else "vendor" for i in range(n)],
        emb=np.ones((n, 4), np.float32), goal_emb=np.zeros((0, 4), np.float32),
        small=np.zeros((n, 2), np.float32), proto=np.zeros((n, 3), np.float32), sentences=sentences,
        sent_emb=np.arange(count * 4, dtype=np.float32).reshape(count, 4),
        cues=features.turn_cues([" ".join(s) for s in sentences]))


@pytest.mark.parametrize("n", [10, 400])
def test_the_turns_are_walked_once_whatever_the_number_of_candidates(monkeypatch, n: int):
    calls = {"context": 0}
    real = features.context

    def counted(emb: np.ndarray) -> np.ndarray:
        calls["context"] += 1
        return real(emb)

    monkeypatch.setattr(features, "context", counted)
    f = meeting(n)
    for turn in range(n):
        sents, rows = f.sentence_rows(turn)
        assert rows.shape == (len(sents), f.matrix.shape[1])
    assert calls["context"] == 2  # once for the matrix, once for the block layout: not per turn


def test_sentence_offsets_match_the_turns():
    f = meeting(7)
    at = 0
    for turn, sents in enumerate(f.sentences):
        got, emb = f.turn_sentences(turn)
        assert got == sents and np.array_equal(emb, f.sent_emb[at : at + len(sents)])
        at += len(sents)
    assert f.speaker_sides == [("B", "vendor"), ("A", "customer")]
