"""Speakers from a platform transcript (names + times) aligned to the ASR words: 0% confusion."""
from __future__ import annotations

import pytest

from pipelines.speakers import attribute_speakers
from pipelines.transcript import Segment, Transcript, Word
from tests.speaker_data import confusion, shared_file, synth_meeting, timing

pytestmark = pytest.mark.slow


def asr(path) -> Transcript:
    from pipelines.transcribe import TranscribeOptions, transcribe

    return transcribe(path, TranscribeOptions(model="tiny.en", cpu_threads=1, batch_size=0))


@pytest.fixture(scope="module")
def meeting(tmp_path_factory):
    """A synthesized 12-turn, 5-voice meeting: its stem, ASR transcript and reference VTT."""
    from pipelines.formats import read_transcript

    stem = synth_meeting("dev-002", tmp_path_factory.mktemp("synth"), max_turns=12)
    return stem, asr(f"{stem}.wav"), read_transcript(f"{stem}.vtt")


def test_platform_names_give_every_word_its_speaker(meeting):
    from pipelines.formats import read_meeting

    stem, transcript, platform = meeting
    _, account, _ = read_meeting(shared_file("eval", "meetings", "dev-002.json"))
    result = attribute_speakers(transcript, None, platform=platform, account=account)
    wrong, scored = confusion(result, timing(stem))
    assert scored > 100 and wrong == 0
    assert set(result.speakers()) <= {p.name for p in platform.participants}
    kevin = next(s for s in result.segments if s.speaker == "Kevin Marsh")
    assert (kevin.side, kevin.side_inferred) == ("vendor", False)  # from the account's vendor team
    assert all(s.side == "customer" for s in result.segments if s.speaker == "Brian Nakamura")


def test_turns_are_rebuilt_from_words(meeting):
    stem, transcript, platform = meeting
    result = attribute_speakers(transcript, None, platform=platform)
    assert [s.id for s in result.segments] == list(range(len(result.segments)))
    for a, b in zip(result.segments, result.segments[1:], strict=False):
        assert a.speaker != b.speaker  # consecutive words of one speaker form one turn
    words = [w.text for s in transcript.segments for w in s.words]
    assert [w.text for s in result.segments for w in s.words] == words  # nothing lost or reordered


def test_pyannote_sample_with_its_reference_transcript_as_platform():
    """Real telephone speech; the STM (Diane/Sheila, times) stands in for the platform file."""
    stm = shared_file("data", "audio-multispeaker", "pyannote-sample", "sample.stm")
    rows = [line.split(maxsplit=5) for line in stm.read_text().splitlines() if line.strip()]
    platform = Transcript(source="import", segments=[
        Segment(id=k, start=float(r[3]), end=float(r[4]), speaker=r[2], text=r[5]) for k, r in enumerate(rows)
    ])
    transcript = asr(shared_file("data", "audio-multispeaker", "pyannote-sample", "sample.wav"))
    result = attribute_speakers(transcript, None, platform=platform)
    reference = [{"speaker": s.speaker, "start": s.start, "end": s.end} for s in platform.segments]
    wrong, scored = confusion(result, reference)
    assert scored > 40 and wrong == 0
    intro = next(s for s in result.segments if "Diane in New Jersey" in s.text)
    assert intro.speaker == "Diane"


def test_words_outside_every_cue_take_the_nearest_speaker():
    platform = Transcript(segments=[Segment(id=0, start=0, end=2, text="hi", speaker="Ann"),
                                    Segment(id=1, start=5, end=7, text="yo", speaker="Bo")])
    words = [Word(start=0.5, end=0.9, text="hi"), Word(start=2.3, end=2.6, text="there"),
             Word(start=4.6, end=4.9, text="yo"), Word(start=6, end=6.5, text="man")]
    transcript = Transcript(segments=[Segment(id=0, start=0.5, end=6.5, text="hi there yo man", words=words)])
    result = attribute_speakers(transcript, None, platform=platform)
    assert [(s.speaker, s.text) for s in result.segments] == [("Ann", "hi there"), ("Bo", "yo man")]
