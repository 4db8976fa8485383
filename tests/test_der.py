"""The diarization error rate and the RTTM reader, on hand-made cases with known answers."""
from __future__ import annotations

import pytest

from pipelines.der import diarization_error_rate
from pipelines.errors import BadInputError
from pipelines.rttm import SpeakerTurn, parse_rttm, read_rttm, to_rttm


def turns(*spec: tuple[float, float, str]) -> list[SpeakerTurn]:
    return [SpeakerTurn(start=a, end=b, speaker=s) for a, b, s in spec]


REF = turns((0, 10, "A"), (10, 20, "B"))


def test_perfect_hypothesis_under_other_names_scores_zero():
    r = diarization_error_rate(REF, turns((0, 10, "x"), (10, 20, "y")), collar=0)
    assert r.der == 0
    assert r.mapping == {"A": "x", "B": "y"}


def test_empty_hypothesis_misses_everything():
    r = diarization_error_rate(REF, [], collar=0)
    assert r.missed == pytest.approx(20) and r.der == pytest.approx(1.0)


def test_one_label_for_two_speakers_is_half_confusion():
    r = diarization_error_rate(REF, turns((0, 20, "x")), collar=0)
    assert r.confusion == pytest.approx(10) and r.der == pytest.approx(0.5)


def test_false_alarm_in_silence():
    r = diarization_error_rate(turns((0, 10, "A")), turns((0, 10, "x"), (15, 20, "x")), collar=0)
    assert r.false_alarm == pytest.approx(5) and r.der == pytest.approx(0.5)


def test_late_boundary_is_confusion_and_the_collar_forgives_it():
    hyp = turns((0, 10.2, "x"), (10.2, 20, "y"))
    assert diarization_error_rate(REF, hyp, collar=0).confusion == pytest.approx(0.2)
    r = diarization_error_rate(REF, hyp, collar=0.25)
    assert r.der == 0
    assert r.total == pytest.approx(20 - 0.5 - 0.25 - 0.25)  # collars: 0, 10 (both sides), 20


def test_overlap_is_scored_per_speaker():
    ref = turns((0, 10, "A"), (5, 10, "B"))  # 15 s of speaker time
    r = diarization_error_rate(ref, turns((0, 10, "x")), collar=0)
    assert r.total == pytest.approx(15)
    assert r.missed == pytest.approx(5) and r.confusion == 0


def test_mapping_is_one_to_one_and_optimal():
    ref = turns((0, 6, "A"), (6, 10, "B"))
    hyp = turns((0, 4, "x"), (4, 10, "y"))  # greedy on y would take A (2 s) but B gives 4 s
    r = diarization_error_rate(ref, hyp, collar=0)
    assert r.mapping == {"A": "x", "B": "y"}
    assert r.confusion == pytest.approx(2)


def test_uem_limits_the_scored_region():
    r = diarization_error_rate(REF, turns((0, 10, "x")), collar=0, uem=[(0, 10)])
    assert r.total == pytest.approx(10) and r.der == 0


def test_rttm_round_trip_and_names_with_spaces():
    text = to_rttm(turns((1.5, 3.25, "Dana Reyes"), (0, 1, "Sam")), "m1")
    assert text.splitlines()[0].split()[3:5] == ["0.000", "1.000"]
    back = parse_rttm(text)["m1"]
    assert [(t.start, t.end, t.speaker) for t in back] == [(0, 1, "Sam"), (1.5, 3.25, "Dana_Reyes")]


def test_rttm_reader_on_the_pyannote_sample():
    from tests.speaker_data import shared_file

    ref = read_rttm(shared_file("data", "audio-multispeaker", "pyannote-sample", "sample.rttm"))["sample"]
    assert len(ref) == 10 and {t.speaker for t in ref} == {"speaker90", "speaker91"}


def test_bad_rttm_line_names_the_line():
    with pytest.raises(BadInputError, match="line 2"):
        parse_rttm("SPEAKER f 1 0 1 <NA> <NA> a <NA> <NA>\nSPEAKER f 1 zero 1 <NA> <NA> b\n")


def test_agrees_with_pyannote_metrics_on_a_mixed_case():
    """Overlap, collars, a false alarm after the end, three speakers. The expected figures are
    pyannote.metrics 4.2.0's DiarizationErrorRate(collar=0.5 (= 0.25 s each side) / 0,
    skip_overlap=False) with UEM 0-14 s, computed once by hand (it is not a dependency)."""
    ref = turns((0, 4, "A"), (3.5, 6, "B"), (6.2, 9, "A"), (8, 12, "C"))
    hyp = turns((0.1, 3.8, "x"), (3.8, 6.5, "y"), (6.5, 10, "x"), (10, 12.5, "z"), (13, 14, "y"))
    for collar, (total, missed, false_alarm, confusion) in {
        0.25: (9.3, 0.5, 1.25, 0.8), 0.0: (13.3, 1.6, 1.7, 1.3)
    }.items():
        r = diarization_error_rate(ref, hyp, collar=collar)
        assert (r.total, r.missed, r.false_alarm, r.confusion) == pytest.approx(
            (total, missed, false_alarm, confusion)
        )
