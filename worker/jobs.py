"""One job per meeting: ingest -> transcribe -> speakers -> analyze -> update.

Each stage writes its output to storage as ``meetings/<id>/<stage>-<input checksum>.json``; a
retried or re-run job finds the artifacts of the stages already done and resumes after them,
and the update stage applies a meeting at most once (see ``repo.apply_meeting``). Nothing here
knows about RQ: the queue layer passes a progress callback.
"""
from __future__ import annotations

import hashlib
import json
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from pipelines.account_state import AccountState
from pipelines.errors import BadInputError, PipelineError, TransientError
from pipelines.highlight import Analysis
from pipelines.transcribe import TranscribeOptions
from pipelines.transcript import Transcript
from pipelines.update import AccountUpdate
from worker import followthrough, remote_inputs, stages
from worker.checksums import sha256_file, sha256_of
from worker.db import repo
from worker.intake import transcript_name
from worker.logs import event, log_context
from worker.review_policy import apply_with_policy
from worker.services import Services, process_services
from worker.storage import local_copy
from worker.sync import record_revision
from worker.transcripts import save_transcript
from worker.voices import stored_profiles, with_vendor_voices

STAGES = ("ingest", "transcribe", "speakers", "analyze", "update")
WEIGHTS = {"ingest": 0.03, "transcribe": 0.62, "speakers": 0.15, "analyze": 0.15, "update": 0.05}
"""Share of the whole job each stage takes, for one progress percentage."""

Progress = Callable[[str, float], None]
"""``progress(stage, fraction of the whole job)``."""


@dataclass
class MeetingResult:
    meeting_id: str
    transcript: Transcript
    analysis: Analysis
    update: AccountUpdate
    revision: int | None
    resumed: list[str] = field(default_factory=list)


RUN_ONLY_OPTIONS = frozenset({"model_cache_dir", "cpu_threads", "max_bytes", "max_duration_s"})
"""Transcribe options that change how a run goes (where, how fast, what is accepted), not its output."""


def transcribe_input(options: TranscribeOptions | None) -> dict[str, Any] | None:
    """The options that decide the transcript, for the transcribe stage's checksum: changing the
    thread count or the upload limit must not throw away a finished transcription."""
    return options.model_dump(mode="json", exclude=set(RUN_ONLY_OPTIONS)) if options else None


def artifact_key(meeting_id: str, stage: str, checksum: str) -> str:
    return f"meetings/{meeting_id}/{stage}-{checksum[:32]}.json"


class _Run:
    """One execution of a meeting's job."""

    def __init__(self, svc: Services, meeting_id: str, progress: Progress | None) -> None:
        self.svc, self.meeting_id = svc, meeting_id
        self.progress = progress or (lambda _stage, _fraction: None)
        self.resumed: list[str] = []
        self._last_saved = (0.0, -1.0, "")

    def report(self, stage: str, fraction: float) -> None:
        done = sum(WEIGHTS[s] for s in STAGES[: STAGES.index(stage)])
        overall = min(1.0, done + WEIGHTS[stage] * max(0.0, min(1.0, fraction)))
        self.progress(stage, overall)
        last_t, last_p, last_stage = self._last_saved
        if (stage != last_stage or overall - last_p >= 0.05 or time.monotonic() - last_t >= 2.0
                or fraction >= 1.0):
            self._last_saved = (time.monotonic(), overall, stage)
            with self.svc.db.session() as s:
                repo.set_meeting(s, self.meeting_id, stage=stage, progress=overall)

    def stage(self, name: str, checksum: str, compute: Callable[[Callable[[float], None]], Any],
              model: type[BaseModel] | None) -> tuple[Any, str]:
        """Load the stage's artifact if it exists, else compute and store it; returns (value, sha)."""
        key = artifact_key(self.meeting_id, name, checksum)
        with log_context(stage=name):
            if self.svc.storage.exists(key):
                data = self.svc.storage.get_bytes(key)
                self.resumed.append(name)
                event("stage.resumed", artifact=key)
            else:
                self.report(name, 0.0)
                t0 = time.perf_counter()
                event("stage.started")
                value = compute(lambda f: self.report(name, f))
                data = (value.model_dump_json() if isinstance(value, BaseModel)
                        else json.dumps(value, sort_keys=True)).encode()
                self.svc.storage.put_bytes(key, data)
                event("stage.finished", seconds=round(time.perf_counter() - t0, 3), artifact=key)
            self.report(name, 1.0)
        parsed = model.model_validate_json(data) if model else json.loads(data)
        return parsed, hashlib.sha256(data).hexdigest()


def _base_state(svc: Services, account_id: str, meeting_id: str) -> AccountState:
    """The record the meeting's first run analysed against (fixed on that run), so a re-run
    analyses the same input even after later meetings changed the record."""
    with svc.db.session() as s:
        base = repo.get_meeting(s, meeting_id).base_revision
        if base is None:  # applied before the base was stored: the revision before its own
            done = repo.meeting_revision(s, account_id, meeting_id)
            base = done.number - 1 if done else None
        state, number = repo.account_state(s, account_id, base)
        if base is None:
            repo.set_meeting(s, meeting_id, base_revision=number)
        return state


def run_meeting(meeting_id: str, svc: Services | None = None, progress: Progress | None = None,
                job_id: str | None = None, will_retry: bool = False) -> MeetingResult:
    """Run (or resume) a meeting's whole job; the meeting row ends ``done`` or ``failed``.

    ``will_retry``: the caller runs the job again after a transient error, so such an error leaves
    the meeting ``retrying``; on the last attempt it fails the meeting with what to check.
    """
    svc = svc or process_services()
    with log_context(meeting_id=meeting_id, job_id=job_id):
        with svc.db.session() as s:
            m = repo.get_meeting(s, meeting_id)
            repo.set_meeting(s, meeting_id, status="running", error=None, attempts=m.attempts + 1,
                             job_id=job_id or m.job_id)
            account_id, filename = m.account_id, m.filename or "the recording"
        event("job.started")
        t0 = time.perf_counter()
        try:
            while True:  # again when an input (a platform transcript) came during the run
                remote_inputs.fetch_sources(svc, meeting_id)
                with svc.db.session() as s:
                    m = repo.get_meeting(s, meeting_id)
                    rec_key, tr_key = m.recording_key, m.transcript_key
                result = _stages(svc, _Run(svc, meeting_id, progress), account_id, rec_key, tr_key, filename,
                                 remote_inputs.tracks(svc, meeting_id))
                if remote_inputs.finish_unless_pending(svc, meeting_id, revision=result.revision):
                    break
        except BadInputError as e:
            reason = _user_paths(str(e), filename)
            _finish(svc, meeting_id, "failed", reason)
            event("job.failed", reason=reason, retry=False)
            raise BadInputError(reason) from e
        except TransientError as e:
            if will_retry:
                _finish(svc, meeting_id, "retrying", str(e))
            else:
                _finish(svc, meeting_id, "failed", f"{e} (gave up after the last retry: check "
                        f"AW_DATABASE_URL / AW_STORAGE_URL, then enqueue the meeting again)")
            event("job.transient_error", reason=str(e), retry=will_retry)
            raise
        except KeyboardInterrupt as e:
            how = "stopped (SIGTERM)" if isinstance(e, Terminated) else "interrupted (Ctrl-C)"
            _finish(svc, meeting_id, "failed", f"{how} before the job finished; "
                    "run it again, finished stages are reused")
            event("job.interrupted", level=30, signal="SIGTERM" if isinstance(e, Terminated) else "SIGINT")
            raise
        except Exception as e:
            message = str(e) if isinstance(e, PipelineError) else f"internal error: {type(e).__name__}: {e}"
            _finish(svc, meeting_id, "failed", message)
            event("job.failed", reason=message, retry=False, exc_info=True)
            raise
        event("job.finished", seconds=round(time.perf_counter() - t0, 3), revision=result.revision,
              resumed=result.resumed,
              changes=len(result.update.changes))
        return result


def _user_paths(message: str, filename: str) -> str:
    """Name the file the user sent, not our storage copy of it."""
    return re.sub(r"\S*meetings/[^/\s]+/recording\.?[\w]*", filename, message)


class Terminated(KeyboardInterrupt):
    """The process was asked to stop (SIGTERM) while a job ran: handled like Ctrl-C."""


@contextmanager
def sigterm_stops_job() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` in the main thread, so the running meeting
    is marked failed (as for Ctrl-C) instead of staying ``running`` after the process is gone."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _named_inputs(local: dict[Path | None, str]) -> Iterator[None]:
    """Errors about an input name the file the user sent (its local copy's path replaced)."""
    try:
        yield
    except BadInputError as e:
        message = str(e)
        for path, name in local.items():
            if path is not None:
                message = message.replace(str(path), name)
        raise BadInputError(message) from e


def _finish(svc: Services, meeting_id: str, status: str, error: str | None, **fields: Any) -> None:
    try:
        with svc.db.session() as s:
            extra = {"progress": 1.0, "stage": None} if status == "done" else {}
            repo.set_meeting(s, meeting_id, status=status, error=error, **extra, **fields)
    except TransientError:
        event("meeting.status_not_saved", status=status)


def _stages(svc: Services, run: _Run, account_id: str, rec_key: str | None,
            tr_key: str | None, filename: str,
            track_keys: list[tuple[str, str]] | None = None) -> MeetingResult:
    if not rec_key and not tr_key:
        raise BadInputError(f"meeting {run.meeting_id} has neither a recording nor a transcript")
    with ExitStack() as stack:
        rec = stack.enter_context(local_copy(svc.storage, rec_key, Path(rec_key).suffix)) if rec_key else None
        plat = stack.enter_context(local_copy(svc.storage, tr_key, Path(tr_key).suffix)) if tr_key else None
        tracks = [(name, stack.enter_context(local_copy(svc.storage, key, Path(key).suffix)))
                  for name, key in track_keys or []] if rec else []
        inputs: list[Any] = [sha256_file(rec) if rec else None, sha256_file(plat) if plat else None]
        if tracks:  # speaker tracks change who said what: part of the input (absent: checksum as before)
            inputs.append([(name, sha256_file(path)) for name, path in tracks])
        stack.enter_context(_named_inputs({rec: filename, plat: transcript_name(tr_key, filename)}))
        ingest, ingest_sha = run.stage(
            "ingest", sha256_of(*inputs), lambda report: stages.ingest(rec, plat, svc.settings), None)
        with svc.db.session() as s:
            repo.set_meeting(s, run.meeting_id, checksum=ingest["checksum"], duration=ingest["duration"])
        state = _base_state(svc, account_id, run.meeting_id)
        with svc.db.session() as s:
            voices = stored_profiles(s, account_id)
        account = with_vendor_voices(state.to_account(), voices)
        profiles = [p for p, _ in voices]
        options = stages.transcribe_options(svc.settings) if rec else None
        transcript, tr_sha = run.stage(
            "transcribe", sha256_of(ingest_sha, transcribe_input(options)),
            lambda report: stages.transcribe_stage(rec, plat, options, report, svc.settings.limits),
            Transcript)
        for warning in transcript.warnings:
            event("transcript.warning", level=30, warning=warning)
        voiced = [[p.model_dump(mode="json") for p in profiles]] if rec and profiles else []
        speakers, sp_sha = run.stage(
            "speakers", sha256_of(tr_sha, ingest_sha, account.model_dump(mode="json"), *voiced),
            lambda report: stages.speakers_stage(transcript, rec, plat, account, report, svc.settings.limits,
                                                 tracks, profiles),
            Transcript)
        save_transcript(svc.storage, run.meeting_id, speakers)
        analysis, an_sha = run.stage(
            "analyze", sha256_of(sp_sha, account.model_dump(mode="json")),
            lambda report: stages.analyze_stage(speakers, account, run.meeting_id), Analysis)
        applied, _ = run.stage(
            "update", sha256_of(an_sha), lambda report: _update(svc, account_id, analysis), None)
    return MeetingResult(meeting_id=run.meeting_id, transcript=speakers, analysis=analysis,
                         update=AccountUpdate.model_validate(applied["update"]),
                         revision=applied["revision"], resumed=run.resumed)


def _update(svc: Services, account_id: str, analysis: Analysis) -> dict[str, Any]:
    """Apply the meeting (once), store its highlights, track its follow-through and record its
    outbound events, in one transaction; delivery happens after commit (never inside the job)."""
    with svc.db.session() as s:
        rev, diff = apply_with_policy(s, account_id, analysis, svc.settings.review_min_confidence,
                                      svc.settings.review_policy == "recommended")
        followthrough.after_meeting(svc, s, analysis.meeting_id)  # commitments, worksheet proposals
        number = rev.number if rev else None
        if rev is not None:
            record_revision(s, svc.settings, account_id, rev.number, diff)
    return {"revision": number, "update": diff.model_dump(mode="json")}
