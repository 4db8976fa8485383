"""Service commands: process, enqueue, status, worker."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from worker.commands.common import ensure_account, load_account_file, services
from worker.console import escape, fail

if TYPE_CHECKING:
    from worker.queue import JobQueue
    from worker.services import Services


def register(app: typer.Typer) -> None:
    app.command("process")(process)
    app.command("enqueue")(enqueue)
    app.command("status")(status)
    app.command("worker")(worker)


def _new_meeting(svc: Services, account_id: str, recording: Path, transcript: Path | None) -> str:
    """Store the inputs and create the meeting row (``worker.intake``), or exit with why not."""
    from pipelines.errors import BadInputError, PipelineError
    from worker.db import repo
    from worker.intake import new_meeting

    try:
        return new_meeting(svc, account_id, recording, transcript)
    except (repo.NotFoundError, BadInputError) as e:
        fail(str(e))
    except PipelineError as e:  # a missing file, or storage refused / unreachable
        fail(f"cannot store {recording.name}: {e}")


def process(
    recording: Annotated[Path, typer.Argument(help="Recording (any audio/video), or a transcript file "
                                              "(VTT, SRT, Name: text, corpus meeting JSON) to skip ASR.")],
    account: Annotated[Path, typer.Option("--account", help="Account JSON (corpus `account` format).")],
    transcript: Annotated[Path | None, typer.Option("--transcript", help="Platform transcript with "
                                                    "speaker names (Zoom/Teams VTT).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Run a meeting's whole job in this process (embedded defaults); print transcript, highlights, update."""
    from pipelines.errors import PipelineError
    from worker import render
    from worker.console import console, progress_bar
    from worker.jobs import sigterm_stops_job
    from worker.local_queue import InProcessQueue
    from worker.orphans import fail_dead_local

    svc = services()
    for mid in fail_dead_local(svc):
        console.print(f"meeting {mid} was left running by a process that is gone: marked failed")
    state = load_account_file(account)
    revision, imported = ensure_account(svc, state)
    if not imported:
        console.print(f"account {escape(state.account_id)} is already stored (revision {revision}): "
                      "this meeting updates the stored record, not the file")
    meeting_id = _new_meeting(svc, state.account_id, recording, transcript)
    try:
        with sigterm_stops_job(), progress_bar(f"meeting {meeting_id}") as bar:
            queue = InProcessQueue(svc, progress=bar, sleep=False)
            result = queue.results[queue.enqueue_meeting(meeting_id)]
    except PipelineError as e:
        fail(f"meeting {meeting_id}: {e}")
    for warning in result.transcript.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    if as_json:
        typer.echo(json.dumps({"meeting_id": meeting_id, "revision": result.revision,
                               "analysis": result.analysis.model_dump(mode="json"),
                               "account_update": result.update.model_dump(mode="json")}, indent=2))
        return
    render.transcript(result.transcript)
    render.highlights(result.analysis)
    render.update(result.update, result.revision)


def enqueue(
    recording: Annotated[Path, typer.Argument(help="Recording, or a transcript file to skip ASR.")],
    account_id: Annotated[str, typer.Option("--account-id", help="Id of an imported account.")],
    transcript: Annotated[Path | None, typer.Option("--transcript", help="Platform transcript.")] = None,
) -> None:
    """Put a meeting's job on the queue (in-process when AW_REDIS_URL is unset); prints the job id."""
    from pipelines.audio import probe_audio
    from pipelines.errors import PipelineError
    from worker.intake import is_transcript_file
    from worker.queue import queue_from_settings

    svc = services()
    duration = None
    if not is_transcript_file(recording) and recording.is_file():
        try:  # before anything is stored: a bad file leaves no meeting behind
            duration = probe_audio(recording).duration
        except PipelineError as e:
            fail(str(e))
    meeting_id = _new_meeting(svc, account_id, recording, transcript)
    queue = queue_from_settings(svc.settings, svc)
    if svc.settings.redis_url:  # the job id is known before a worker takes the job
        job_id = _enqueue_on_redis(svc, queue, meeting_id, duration)
    else:
        try:
            job_id = queue.enqueue_meeting(meeting_id, duration)
        except PipelineError as e:
            fail(f"{recording}: {e} (meeting {meeting_id})")
    typer.echo(job_id)
    typer.echo(f"meeting {meeting_id}", err=True)


def _enqueue_on_redis(svc: Services, queue: JobQueue, meeting_id: str, duration: float | None) -> str:
    """Put the job on Redis and record its id; Redis unreachable fails the meeting readably."""
    import redis

    from worker.db import repo

    try:
        job_id = queue.enqueue_meeting(meeting_id, duration)
    except redis.RedisError as e:
        reason = (f"Redis unreachable at AW_REDIS_URL ({e}); start Redis or fix AW_REDIS_URL, "
                  "then enqueue again")
        with svc.db.session() as s:
            repo.set_meeting(s, meeting_id, status="failed", error=reason, duration=duration)
        fail(f"meeting {meeting_id} not queued: {reason}")
    with svc.db.session() as s:
        repo.set_meeting(s, meeting_id, job_id=job_id, duration=duration)
    return job_id


def status(
    meeting_id: Annotated[str, typer.Argument(help="Meeting id (printed by enqueue).")],
    follow: Annotated[bool, typer.Option("--follow", "-f", help="Draw a progress bar until the "
                                         "meeting is done or failed.")] = False,
) -> None:
    """Show a meeting's status, stage, progress and error."""
    from worker.db import repo

    svc = services()
    if follow:
        _follow(svc, meeting_id)
    with svc.db.session() as s:
        try:
            m = repo.get_meeting(s, meeting_id)
        except repo.NotFoundError as e:
            fail(str(e))
        n_hl = len(repo.highlights(s, meeting_id))
    typer.echo(f"meeting   {m.id}  (account {m.account_id}, file {m.filename})")
    typer.echo(f"status    {m.status}" + (f"  stage {m.stage}" if m.stage else "")
               + f"  {m.progress * 100:.0f}%  attempts {m.attempts}")
    if m.duration:
        typer.echo(f"duration  {m.duration:.1f} s")
    if m.error:
        typer.echo(f"error     {m.error}")
    if m.status == "done":
        typer.echo(f"result    {n_hl} highlights, revision {m.revision or '(no change)'}")
    if svc.settings.redis_url and m.job_id and not m.job_id.startswith("local-"):
        typer.echo(f"job       {m.job_id}  {_job_line(svc.settings.redis_url, m.job_id)}")


def _follow(svc: Services, meeting_id: str, every_s: float = 0.5) -> None:
    """Progress bar from the meeting row (written by whichever worker runs the job)."""
    import time

    from worker.console import progress_bar
    from worker.db import repo

    with progress_bar(f"meeting {meeting_id}") as bar:
        while True:
            with svc.db.session() as s:
                try:
                    m = repo.get_meeting(s, meeting_id)
                except repo.NotFoundError as e:
                    fail(str(e))
            bar(m.stage or m.status, m.progress)
            if m.status in ("done", "failed"):
                return
            ended = _job_ended(svc.settings.redis_url, m.job_id)
            if ended:
                fail(f"meeting {meeting_id} is {m.status} but its job {m.job_id} {ended}; see "
                     f"`alignment-worker status {meeting_id}` and enqueue it again if needed")
            time.sleep(every_s)


def _job_ended(redis_url: str | None, job_id: str | None) -> str | None:
    """Why the meeting's RQ job will not move the meeting on any more (failed, gone), else None."""
    if not redis_url or not job_id or job_id.startswith("local-"):
        return None
    import redis
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        job = Job.fetch(job_id, connection=redis.Redis.from_url(redis_url))
    except NoSuchJobError:
        return "is no longer in Redis"
    except redis.RedisError:
        return None  # Redis away for a moment: keep following the database
    st = job.get_status()
    if st in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        return f"is {st.value}"
    return None


def _job_line(redis_url: str, job_id: str) -> str:
    """The RQ job's own view: status, stage and progress from its meta."""
    import redis
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        job = Job.fetch(job_id, connection=redis.Redis.from_url(redis_url))
    except NoSuchJobError:
        return "(expired from Redis)"
    except redis.RedisError as e:
        return f"(Redis unavailable: {e})"
    meta = job.meta
    percent = float(meta.get("progress", 0)) * 100
    return (f"{job.get_status().value}  stage {meta.get('stage', '?')}  {percent:.0f}%"
            + (f"  recovered {meta['recoveries']}x" if meta.get("recoveries") else ""))


def worker(
    queues: Annotated[list[str] | None, typer.Option("--queues", "-q", help="Queues to serve "
                                                     "(default: AW_QUEUES).")] = None,
    burst: Annotated[bool, typer.Option("--burst", help="Quit when the queues are empty.")] = False,
) -> None:
    """Start an RQ worker (SimpleWorker, models loaded once) with its watchdog."""
    from worker.runner import run_worker

    run_worker(queues or None, burst=burst)

