"""The meeting page's data: transcript with corrected speakers, highlights by category, speakers."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipelines.highlight import CATEGORIES
from pipelines.transcript import Transcript
from worker.db import repo
from worker.db.models import HighlightRow, MeetingRow, SpeakerEditRow
from worker.jobs import STAGES
from worker.storage import Storage
from worker.transcripts import load_transcript

EDITABLE: dict[str, tuple[str, ...]] = {
    "goal_shift": ("goal", "kind"),
    "stakeholder_change": ("person", "title", "change", "replaced_by"),
    "risk": ("summary", "severity", "category"),
    "value_quote": ("quote", "value_type", "metric"),
    "expansion_signal": ("summary",),
    "next_step": ("action", "owner", "due"),
    "advocacy_signal": (),
}
"""Attributes of each highlight category that go into the record, offered by the edit form."""

CHOICES: dict[str, tuple[str, ...]] = {
    "kind": ("new", "changed", "dropped", "reprioritized"),
    "change": ("joined", "departed", "role_changed", "sponsor_changed", "champion_changed", "reorg"),
    "severity": ("low", "medium", "high"),
    "category": ("budget", "competitor", "adoption", "sponsor", "technical", "timeline", "support",
                 "security_compliance", "org_change", "pricing", "renewal", "other"),
    "value_type": ("time_saved", "cost_saved", "revenue", "productivity", "quality", "visibility",
                   "risk_reduction", "adoption", "experience", "other"),
}


@dataclass
class SpeakerView:
    label: str
    name: str
    side: str | None
    confirmed: bool
    turns: int


@dataclass
class MeetingView:
    meeting: MeetingRow
    account_name: str
    transcript: Transcript | None
    speakers: list[SpeakerView]
    groups: list[tuple[str, list[HighlightRow]]]
    pending: int
    stages: tuple[str, ...] = STAGES
    names: dict[str, str] = field(default_factory=dict)

    def speaker(self, label: str | None) -> str:
        return self.names.get(label or "", label or "unknown")


def speaker_edits(s: Session, meeting_id: str) -> dict[str, SpeakerEditRow]:
    rows = s.scalars(select(SpeakerEditRow).where(SpeakerEditRow.meeting_id == meeting_id))
    return {e.label: e for e in rows}


def corrected(transcript: Transcript, edits: dict[str, SpeakerEditRow]) -> Transcript:
    """The transcript with the reviewer's names and sides applied to every turn."""
    out = transcript.model_copy(deep=True)
    for seg in out.segments:
        edit = edits.get(seg.speaker or "")
        if edit is not None:
            seg.speaker = edit.name
            if edit.side in ("vendor", "customer"):
                seg.side = edit.side  # type: ignore[assignment]
                seg.side_inferred = False
    return out


def meeting_view(s: Session, storage: Storage, meeting_id: str) -> MeetingView:
    meeting = repo.get_meeting(s, meeting_id)
    state, _ = repo.account_state(s, meeting.account_id)
    raw = load_transcript(storage, meeting_id)
    edits = speaker_edits(s, meeting_id)
    speakers: list[SpeakerView] = []
    if raw is not None:
        counts: dict[str, int] = {}
        sides: dict[str, str | None] = {}
        for seg in raw.segments:
            lab = seg.speaker or "unknown"
            counts[lab] = counts.get(lab, 0) + 1
            sides.setdefault(lab, seg.side)
        for lab, n in counts.items():
            e = edits.get(lab)
            speakers.append(SpeakerView(lab, e.name if e else lab, (e.side if e and e.side else sides[lab]),
                                        bool(e and e.confirmed), n))
    rows = repo.highlights(s, meeting_id)
    groups = [(c, [h for h in rows if h.category == c]) for c in CATEGORIES]
    return MeetingView(meeting=meeting, account_name=state.name,
                       transcript=corrected(raw, edits) if raw else None, speakers=speakers,
                       groups=[(c, hs) for c, hs in groups if hs],
                       pending=sum(1 for h in rows if h.review_status == "pending"),
                       names={lab: e.name for lab, e in edits.items()})


def edit_fields(h: HighlightRow) -> list[tuple[str, Any, tuple[str, ...]]]:
    """(attribute, current value, choices) for the edit form of a highlight."""
    return [(name, h.attributes.get(name), CHOICES.get(name, ())) for name in EDITABLE.get(h.category, ())]
