"""Speakers from per-participant tracks (or a multichannel file's channels): 0% confusion."""
from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from pipelines.speakers import attribute_speakers, channel_tracks
from tests.speaker_data import confusion, shared_file, synth_meeting, timing

pytestmark = pytest.mark.slow
RATE = 16000
GAP_S = 0.5


def asr(path):
    from pipelines.transcribe import TranscribeOptions, transcribe

    return transcribe(path, TranscribeOptions(model="tiny.en", cpu_threads=1, batch_size=0))


@pytest.fixture(scope="module")
def two_readers(tmp_path_factory):
    """The real two-reader stereo clip, its readers one after the other: tracks, mix and timing.

    In the source both read at the same time (one per channel); here the right reader starts
    after the left one, so a mixed recording exists whose words each have one true speaker.
    """
    from pipelines.audio import decode_channels

    left, right = decode_channels(shared_file("data", "audio", "stereo_diarization.wav"))
    pad = np.zeros(int(GAP_S * RATE) + len(left), dtype=np.float32)
    tracks = np.stack([np.concatenate([left, pad[: len(right) + int(GAP_S * RATE)]]),
                       np.concatenate([pad, right])])
    folder = tmp_path_factory.mktemp("readers")
    sf.write(folder / "mix.wav", tracks.sum(axis=0), RATE)
    sf.write(folder / "tracks.wav", tracks.T, RATE)
    second = (len(left) + GAP_S * RATE) / RATE
    reference = [{"speaker": "Left", "start": 0.0, "end": second},
                 {"speaker": "Right", "start": second, "end": tracks.shape[1] / RATE}]
    return folder, tracks, reference, asr(folder / "mix.wav")


def test_each_word_goes_to_the_loudest_track(two_readers):
    _, tracks, reference, transcript = two_readers
    result = attribute_speakers(transcript, None, tracks=[("Left", tracks[0]), ("Right", tracks[1])])
    wrong, scored = confusion(result, reference)
    assert scored >= 15 and wrong == 0
    assert [s.speaker for s in result.segments] == ["Left", "Right"]
    assert "wizard" in result.segments[0].text.lower() and "horizon" in result.segments[1].text.lower()


def test_a_multichannel_file_gives_one_speaker_per_channel(two_readers):
    from pipelines.audio import decode_channels

    folder, _, reference, transcript = two_readers
    tracks = channel_tracks(decode_channels(folder / "tracks.wav"))
    result = attribute_speakers(transcript, None, tracks=tracks)
    assert [s.speaker for s in result.segments] == ["Channel 1", "Channel 2"]
    renamed = {"Left": "Channel 1", "Right": "Channel 2"}
    wrong, _ = confusion(result, [{**r, "speaker": renamed[r["speaker"]]} for r in reference])
    assert wrong == 0


def test_tracks_at_another_sample_rate_are_resampled(two_readers):
    from scipy.signal import resample_poly

    _, tracks, reference, transcript = two_readers
    at_48k = [(name, resample_poly(t, 3, 1)) for name, t in zip(["Left", "Right"], tracks, strict=True)]
    result = attribute_speakers(transcript, None, tracks=at_48k, sample_rate=48000)
    assert confusion(result, reference)[0] == 0


def test_synthesized_meeting_tracks_with_cross_talk(tmp_path):
    """Five voices, each on its own track that also carries the others 20 dB down (room bleed)."""
    from pipelines.audio import decode_audio

    stem = synth_meeting("dev-002", tmp_path, max_turns=12)
    mix = decode_audio(f"{stem}.wav")
    turns = timing(stem)
    tracks = []
    for name in dict.fromkeys(t["speaker"] for t in turns):
        own = np.zeros_like(mix)
        for t in (t for t in turns if t["speaker"] == name):
            a, b = int(t["start"] * RATE), int(t["end"] * RATE)
            own[a:b] = mix[a:b]
        tracks.append((name, own + 0.1 * (mix - own)))
    result = attribute_speakers(asr(f"{stem}.wav"), mix, tracks=tracks)
    wrong, scored = confusion(result, turns)
    assert scored > 100 and wrong == 0
    assert set(result.speakers()) == {t["speaker"] for t in turns}
