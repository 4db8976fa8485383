"""Export a meeting: its highlights and the account update it made, as JSON and as a Markdown recap."""
from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy.orm import Session

from pipelines.highlight import CATEGORIES
from worker.db import repo
from worker.web.auth import ServicesDep, WebUser
from worker.web.templating import clock, label

router = APIRouter()


def meeting_export(s: Session, meeting_id: str) -> dict[str, Any]:
    """The meeting's highlights (with review decisions) and the update it applied to the record."""
    meeting = repo.get_meeting(s, meeting_id)
    rev = repo.meeting_revision(s, meeting.account_id, meeting_id)
    return {
        "meeting_id": meeting.id, "account_id": meeting.account_id, "filename": meeting.filename,
        "status": meeting.status, "revision": rev.number if rev else None,
        "highlights": [{"id": h.highlight_id, "category": h.category, "evidence": h.evidence,
                        "speaker": h.speaker, "side": h.side, "start": h.start, "end": h.end,
                        "confidence": h.confidence, "attributes": h.attributes, "extractor": h.extractor,
                        "review_status": h.review_status} for h in repo.highlights(s, meeting_id)],
        "account_update": rev.diff if rev else None,
    }


def recap_markdown(data: dict[str, Any], account_name: str) -> str:
    """A recap a CSM can paste: the highlights by category, then what changed in the record."""
    lines = [f"# {data['filename'] or data['meeting_id']} — {account_name}", ""]
    for category in CATEGORIES:
        rows = [h for h in data["highlights"]
                if h["category"] == category and h["review_status"] != "rejected"]
        if not rows:
            continue
        lines += [f"## {label(category).capitalize()}", ""]
        for h in rows:
            who = h["speaker"] or "unknown"
            lines.append(f"- “{h['evidence']}” — {who}, {clock(h['start']) or '0:00'}"
                         + (" (pending review)" if h["review_status"] == "pending" else ""))
        lines.append("")
    changes = (data.get("account_update") or {}).get("changes", [])
    if changes:
        lines += ["## Account update", ""] + [f"- {c['summary']}" for c in changes] + [""]
    return "\n".join(lines)


@router.get("/meetings/{meeting_id}/export.{fmt}", name="export_meeting")
def export_meeting(meeting_id: str, fmt: str, svc: ServicesDep, web: WebUser) -> Response:
    with svc.db.session() as s:
        data = meeting_export(s, meeting_id)
        name = repo.account_state(s, data["account_id"])[0].name
    if fmt == "json":
        return Response(json.dumps(data, indent=2, default=str), media_type="application/json",
                        headers={"Content-Disposition": f'attachment; filename="{meeting_id}.json"'})
    if fmt == "md":
        return PlainTextResponse(recap_markdown(data, name), media_type="text/markdown; charset=utf-8",
                                 headers={"Content-Disposition": f'attachment; filename="{meeting_id}.md"'})
    raise repo.NotFoundError(f"export format {fmt!r}: json or md")
