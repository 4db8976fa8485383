"""Property-based: random bytes, random caption text and random account JSON given to the import and
analysis entry points end in a result or one of our own errors (``pipelines.errors``) — never a
traceback, a hang, or a meeting left half-written. Inputs are generated here; nothing is committed."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.account import Account, read_account
from pipelines.account_state import AccountState
from pipelines.errors import PipelineError
from pipelines.formats import read_meeting, read_transcript
from pipelines.limits import Limits

SMALL = Limits(max_cues=200, max_chars=20_000, max_account_items=50, max_json_depth=16)
"""Tight limits keep every example bounded (what the settings do for the service)."""
PARSE = settings(max_examples=150, deadline=20_000, suppress_health_check=[HealthCheck.too_slow])
"""The deadline only catches a hang (a parse of a few KB never takes seconds)."""

clock = st.builds(lambda h, m, s, ms: f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}",
                  st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 999))
name = st.text(st.characters(codec="utf-8"), max_size=40)
said = st.text(st.characters(codec="utf-8"), max_size=120)
cue = st.one_of(
    st.builds(lambda a, b, who, text: f"{a} --> {b}\n<v {who}>{text}", clock, clock, name, said),
    st.builds(lambda a, b, text: f"{a} --> {b}\n{text}", clock, clock, said),
    st.builds(lambda n, a, b, text: f"{n}\n{a.replace('.', ',')} --> {b.replace('.', ',')}\n{text}",
              st.integers(0, 999), clock, clock, said),
    said,
)
caption_text = st.builds(lambda head, cues: head + "\n\n".join(cues),
                         st.sampled_from(["WEBVTT\n\n", "", "1\n", "WEBVTT - x\nKind: captions\n\n"]),
                         st.lists(cue, max_size=12))
short_clock = st.builds(lambda m, s, ms: f"00:{m:02d}:{s:02d}.{ms:03d}",
                        st.integers(0, 59), st.integers(0, 59), st.integers(0, 999))
words = st.text(st.sampled_from("abcdefghij klmnop?.,!'[]/<>&\u00e9\u4e2d\x00"), min_size=1, max_size=150)
timed_vtt = st.builds(
    lambda cues: "WEBVTT\n\n" + "\n\n".join(f"{a} --> {b}\n<v {who}>{text}" for a, b, who, text in cues),
    st.lists(st.tuples(short_clock, short_clock, st.sampled_from(["Ana Lee", "Sam", "[/]x", "N" * 260]),
                       words), min_size=1, max_size=15))
"""Well-formed WebVTT with random words and hostile names: these get through to the analysis."""
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | name,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(name, inner, max_size=4), max_leaves=20)
person = st.fixed_dictionaries({"name": name}, optional={"title": st.none() | name, "role": json_value})
account_json = st.fixed_dictionaries(
    {}, optional={"account_id": st.one_of(name, st.integers(), st.none()),
                  "name": st.one_of(name, json_value),
                  "goals": st.lists(st.fixed_dictionaries({"id": name, "text": said}) | json_value,
                                    max_size=4),
                  "stakeholders": st.lists(person | json_value, max_size=4),
                  "vendor_team": st.lists(person, max_size=2), "renewal_date": json_value})


def _file(data: bytes, suffix: str) -> Path:
    f = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)
    f.write(data)
    f.close()
    return Path(f.name)


def _outcome(call: Any) -> Any:
    """The call's result, or None when it raised one of our own errors; anything else fails the test."""
    try:
        return call()
    except PipelineError:
        return None


@PARSE
@given(st.binary(max_size=2000), st.sampled_from([".vtt", ".srt", ".sbv", ".txt", ".json", ""]))
def test_random_bytes_as_a_transcript(data: bytes, suffix: str):
    path = _file(data, suffix)
    try:
        _outcome(lambda: read_transcript(path, limits=SMALL))
        _outcome(lambda: read_meeting(path, SMALL))
        _outcome(lambda: read_account(path, SMALL))
    finally:
        path.unlink()


@PARSE
@given(caption_text, st.sampled_from([".vtt", ".srt", ".txt"]))
def test_random_caption_text(text: str, suffix: str):
    path = _file(text.encode("utf-8", "surrogatepass"), suffix)
    try:
        t = _outcome(lambda: read_transcript(path, limits=SMALL))
        if t is not None:
            assert len(t.segments) <= SMALL.max_cues
            assert all(s.end is None or s.start is None or s.end >= s.start for s in t.segments)
    finally:
        path.unlink()


@PARSE
@given(account_json | json_value)
def test_random_account_json(data: Any):
    path = _file(json.dumps(data).encode(), ".json")
    try:
        account = _outcome(lambda: read_account(path, SMALL))
        if account is not None:
            assert isinstance(account, Account) and AccountState.from_account(account).account_id
        _outcome(lambda: read_meeting(path, SMALL))
    finally:
        path.unlink()


@pytest.fixture(scope="module")
def job_services(tmp_path_factory):  # noqa: ANN201
    """One database and storage for the job examples (the analysis models load once per session)."""
    from worker.db import Database, repo
    from worker.services import Services
    from worker.settings import Settings
    from worker.storage import LocalStorage

    root = tmp_path_factory.mktemp("fuzz-jobs")
    cfg = Settings(data_dir=root, job_retries=0, max_transcript_cues=SMALL.max_cues,
                   max_transcript_chars=SMALL.max_chars)
    svc = Services(settings=cfg, storage=LocalStorage(root / "objects"),
                   db=Database(cfg.resolved_database_url))
    with svc.db.session() as s:
        repo.import_account(s, AccountState.from_account(Account(account_id="fuzz", name="Fuzz",
                                                                  stakeholders=[{"name": "Ana Lee"}])))
    yield svc
    svc.db.dispose()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(timed_vtt | caption_text)
def test_random_captions_through_the_whole_job(job_services, text: str):
    """Intake, then the job with analysis: the meeting ends done or failed, never running, and no
    stored object is left without a meeting."""
    from worker.db import repo
    from worker.db.models import MeetingRow
    from worker.intake import new_meeting
    from worker.jobs import run_meeting

    svc = job_services
    path = _file(text.encode("utf-8", "surrogatepass"), ".vtt")
    try:
        mid = _outcome(lambda: new_meeting(svc, "fuzz", path))
    finally:
        path.unlink()
    if mid is not None:
        _outcome(lambda: run_meeting(mid, svc))
        with svc.db.session() as s:
            assert repo.get_meeting(s, mid).status in ("done", "failed")
    with svc.db.session() as s:
        meetings = {m for (m,) in s.query(MeetingRow.id).all()}
    root = svc.storage.root  # type: ignore[attr-defined]
    assert {p.relative_to(root).parts[1] for p in root.glob("meetings/*/*")} <= meetings
