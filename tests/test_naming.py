"""Naming voice clusters (introductions, addresses, voice profiles, participants); sides: test_sides.py."""
from __future__ import annotations

import numpy as np
import pytest

from pipelines.naming import addressed_names, assign_names, introduced_names, name_votes
from pipelines.transcript import Participant, Segment, Transcript
from pipelines.voiceprints import enroll, match_profiles
from tests.speaker_data import shared_file, synth_meeting, timing

PEOPLE = ["Dana Reyes", "Sam Patel", "Luis Ortega"]


def turns(*spec: tuple[str, str]) -> list[Segment]:
    return [Segment(id=k, start=k, end=k + 1, speaker=s, text=t) for k, (s, t) in enumerate(spec)]


def test_self_introductions_resolve_to_participants():
    assert introduced_names("Hi, this is Dana from finance.", PEOPLE) == ["Dana Reyes"]
    assert introduced_names("Sam here, can everyone hear me?", PEOPLE) == ["Sam Patel"]
    assert introduced_names("Yeah, my name is Luis Ortega, AP manager.", PEOPLE) == ["Luis Ortega"]
    assert introduced_names("I'm glad this is working. This is great.", PEOPLE) == []


@pytest.mark.slow
def test_unknown_names_need_spacy_to_call_them_a_person():
    assert introduced_names("And I'm Sheila in Texas, originally from Chicago.", []) == ["Sheila"]
    assert introduced_names("This is Monday and I'm Ready.", []) == []


def test_names_addressed_to_the_listener():
    assert addressed_names("Thanks for making time today, Dana.", PEOPLE) == ["Dana Reyes"]
    assert addressed_names("Luis, what do you think?", PEOPLE) == ["Luis Ortega"]
    assert addressed_names("Dana said the budget is fine.", PEOPLE) == []


def test_introductions_outweigh_addresses_and_names_are_one_to_one():
    spoken = turns(("0", "Hi all, this is Sam."), ("1", "Thanks Sam. Luis, over to you?"),
                   ("2", "Sure."), ("1", "Dana here, by the way."))
    votes = name_votes(spoken, PEOPLE)
    assert assign_names(["0", "1", "2"], votes) == {"0": "Sam Patel", "1": "Dana Reyes"}
    # the last unnamed voice takes the last unused participant name
    named = assign_names(["0", "1", "2"], name_votes(spoken, PEOPLE), participants=PEOPLE)
    assert named["2"] == "Luis Ortega"


def test_voice_profiles_name_clusters_and_never_twice():
    rng = np.random.default_rng(0)
    dana, sam = rng.random(256), rng.random(256)
    profiles = [enroll("Dana Reyes", dana + rng.normal(0, 0.01, (5, 256))),
                enroll("Sam Patel", sam + rng.normal(0, 0.01, (3, 256)))]
    assert profiles[0].count == 5
    more = enroll("Dana Reyes", dana + rng.normal(0, 0.01, (2, 256)), profiles[0])
    assert more.count == 7
    matches = match_profiles({"0": sam, "1": dana, "2": dana * 0.99 + 0.01}, profiles)
    assert {k: v[0] for k, v in matches.items()} == {"0": "Sam Patel", "1": "Dana Reyes"}
    assert match_profiles({"0": rng.random(256)}, profiles) == {}


@pytest.mark.slow
def test_profiles_enrolled_from_one_meeting_name_the_voices_of_the_next(tmp_path):
    """Enroll each voice from the first half of a synthesized meeting; name the second half."""
    from pipelines.audio import decode_audio
    from pipelines.diarize import embed_turns
    from pipelines.rttm import SpeakerTurn
    from pipelines.speakers import SpeakerOptions, attribute_speakers

    stem = synth_meeting("dev-002", tmp_path, max_turns=24)
    audio, reference = decode_audio(f"{stem}.wav"), timing(stem)
    half = reference[len(reference) // 2]["start"]
    first = [SpeakerTurn(start=t["start"], end=t["end"], speaker=t["speaker"]) for t in reference
             if t["end"] <= half]
    profiles = [enroll(name, e) for name, e in embed_turns(audio, first).items()]
    later = audio[int(half * 16000):]
    words = [(t["start"] - half, t["end"] - half, t["speaker"]) for t in reference if t["start"] >= half]
    transcript = Transcript(segments=[Segment(id=k, start=a, end=b, text=f"turn {k}")
                                      for k, (a, b, _) in enumerate(words)])
    result = attribute_speakers(transcript, later, options=SpeakerOptions(profiles=profiles))
    said_by = [_overlapping(result.segments, a, b).speaker for a, b, _ in words]
    correct = sum(name == truth for name, (_, _, truth) in zip(said_by, words, strict=True))
    # Brian speaks ~5 s in this half: too little to form a voice of his own, so his 2 of 12
    # turns go to louder neighbours; every voice that is found carries its enrolled name.
    assert correct >= 0.75 * len(words)
    assert {"Kevin Marsh", "Linda Castillo"} <= set(result.speakers()) <= {p.name for p in profiles}


def _overlapping(segments: list[Segment], a: float, b: float) -> Segment:
    return max(segments, key=lambda s: min(b, s.end) - max(a, s.start))


@pytest.mark.slow
def test_pyannote_callers_are_named_from_their_introductions():
    """Real call: "This is Diane in New Jersey" / "I'm Sheila in Texas" name the two voices."""
    from pipelines.audio import decode_audio
    from pipelines.speakers import attribute_speakers
    from pipelines.transcribe import TranscribeOptions, transcribe

    wav = shared_file("data", "audio-multispeaker", "pyannote-sample", "sample.wav")
    transcript = transcribe(wav, TranscribeOptions(model="tiny.en", cpu_threads=1, batch_size=0))
    result = attribute_speakers(transcript, decode_audio(wav))
    assert set(result.speakers()) == {"Diane", "Sheila"}
    assert next(s for s in result.segments if "New Jersey" in s.text).speaker == "Diane"
    assert next(s for s in result.segments if "Yankee" in s.text).speaker == "Sheila"


@pytest.mark.slow
def test_an_untimed_platform_transcript_still_lends_its_names(tmp_path):
    """A 'Name: text' export without times cannot be aligned, but its people name the voices."""
    from pipelines.audio import decode_audio
    from pipelines.speakers import attribute_speakers

    folder = ("data", "audio-multispeaker", "picovoice-falcon-test")
    audio = decode_audio(shared_file(*folder, "test.wav"))
    spans = [(1.7, 3.9), (6.2, 11.1), (12.8, 18.0)]
    said = ["Hi, this is Ann.", "Thanks, Ann.", "Bye."]
    transcript = Transcript(segments=[Segment(id=k, start=a, end=b, text=t)
                                      for k, ((a, b), t) in enumerate(zip(spans, said, strict=True))])
    people = ["Ann Lee", "Bo Chen", "Cy Diaz"]
    platform = Transcript(source="import", participants=[Participant(name=n) for n in people],
                          segments=[Segment(id=k, text="...", speaker=n) for k, n in enumerate(people)])
    result = attribute_speakers(transcript, audio, platform=platform)
    assert result.segments[0].speaker == "Ann Lee"  # introduced herself
    assert {s.speaker for s in result.segments[1:]} <= {"Bo Chen", "Cy Diaz", "Speaker 1", "Speaker 2"}
