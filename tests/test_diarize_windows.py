"""Voice clustering of a long recording: window by window, embeddings kept, audio not."""
from __future__ import annotations

import numpy as np
import pytest

from pipelines.clustering import AGGLOMERATE_WINDOWS, agglomerate, cluster_embeddings
from pipelines.der import diarization_error_rate
from pipelines.rttm import SpeakerTurn, read_rttm
from tests.speaker_data import shared_file


def voices(count: int, per_voice: int, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.random((count, 64)) ** 3  # non-negative like Resemblyzer embeddings
    points = np.concatenate([c + rng.normal(0, 0.03, (per_voice, 64)) for c in centres])
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def test_more_windows_than_the_linkage_takes_still_find_every_voice():
    per_voice = AGGLOMERATE_WINDOWS // 2  # 3 voices: 1.5x the windows the linkage sees at once
    points = voices(3, per_voice)
    labels = cluster_embeddings(points)
    assert len(set(labels)) == 3
    assert all(len(set(labels[k * per_voice : (k + 1) * per_voice])) == 1 for k in range(3))


def test_agglomerate_on_a_sample_agrees_with_the_full_linkage():
    points = voices(4, 150, seed=5)
    full = agglomerate(points, 4)
    import pipelines.clustering as clustering

    saved = clustering.AGGLOMERATE_WINDOWS
    clustering.AGGLOMERATE_WINDOWS = 100  # 600 windows: the linkage sees every 6th
    try:
        sampled = agglomerate(points, 4)
    finally:
        clustering.AGGLOMERATE_WINDOWS = saved
    pairs = set(zip(full.tolist(), sampled.tolist(), strict=True))
    assert len(pairs) == 4  # the same partition, up to the names of the clusters


@pytest.mark.slow
def test_windowed_diarization_scores_like_one_pass():
    from pipelines.audio import decode_audio
    from pipelines.diarize import diarize
    from pipelines.windows import array_windows

    folder = ("data", "audio-multispeaker", "pyannote-ami-debug")
    turns = read_rttm(shared_file(*folder, "debug.development.rttm"))
    audio = np.concatenate([decode_audio(shared_file(*folder, f"{k}.wav")) for k in ("dev00", "dev01")])
    reference = turns["dev00"] + [SpeakerTurn(start=t.start + 30, end=t.end + 30, speaker=t.speaker)
                                  for t in turns["dev01"]]
    whole, _, _ = diarize(audio)
    pieces = list(array_windows(audio, window_s=20.0))
    windowed, embeddings, labels = diarize(iter(pieces))
    assert len(pieces) >= 3 and len(embeddings) == len(labels) > 0
    assert windowed[-1].end > 50.0 and all(t.end <= 60.0 + 1e-6 for t in windowed)
    der_whole = diarization_error_rate(reference, whole).der
    der_windowed = diarization_error_rate(reference, windowed).der
    assert der_windowed <= der_whole + 0.05, (der_whole, der_windowed)
