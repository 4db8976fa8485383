"""SQLAlchemy 2 tables of the account store: accounts, revisions, meetings, highlights, sync log,
and the follow-through: commitments, worksheet proposals, advocacy asks."""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class AccountRow(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    revision: Mapped[int] = mapped_column(Integer, default=0, doc="number of the latest revision")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RevisionRow(Base):
    """One immutable revision of an account record: the whole state and the diff that made it."""

    __tablename__ = "account_revisions"
    __table_args__ = (
        UniqueConstraint("account_id", "number", name="uq_revision_number"),
        UniqueConstraint("account_id", "meeting_id", name="uq_revision_meeting"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), doc="import, meeting or review")
    meeting_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    diff: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MeetingRow(Base):
    __tablename__ = "meetings"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="queued", doc="queued, running, done, failed")
    stage: Mapped[str | None] = mapped_column(String(20), nullable=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0, doc="0..1 of the whole job")
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    filename: Mapped[str | None] = mapped_column(String(500), nullable=True)
    recording_key: Mapped[str | None] = mapped_column(String(500), nullable=True)
    transcript_key: Mapped[str | None] = mapped_column(String(500), nullable=True,
                                                       doc="platform transcript (VTT...) if given")
    checksum: Mapped[str | None] = mapped_column(String(64), nullable=True)
    duration: Mapped[float | None] = mapped_column(Float, nullable=True)
    job_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    revision: Mapped[int | None] = mapped_column(Integer, nullable=True, doc="revision it produced")
    base_revision: Mapped[int | None] = mapped_column(
        Integer, nullable=True, doc="revision of the record its first run analysed against")
    title: Mapped[str | None] = mapped_column(String(300), nullable=True)
    meeting_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    participants: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True,
                                                           doc="names given with the upload")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class HighlightRow(Base):
    __tablename__ = "highlights"
    __table_args__ = (UniqueConstraint("meeting_id", "highlight_id", name="uq_highlight"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    highlight_id: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(40))
    evidence: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    side: Mapped[str | None] = mapped_column(String(20), nullable=True)
    start: Mapped[float | None] = mapped_column(Float, nullable=True)
    end: Mapped[float | None] = mapped_column(Float, nullable=True)
    turns: Mapped[list[Any]] = mapped_column(JSON, default=list)
    confidence: Mapped[float] = mapped_column(Float)
    extractor: Mapped[str] = mapped_column(String(100), doc="extractor name and version (aw.risk.v2)")
    heads: Mapped[str] = mapped_column(String(100), default="", server_default="",
                                       doc="id of the trained heads that scored it")
    features: Mapped[str] = mapped_column(String(40), default="", server_default="",
                                          doc="version of the turn features the heads read")
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    review_status: Mapped[str] = mapped_column(String(20), default="pending",
                                               doc="pending, accepted, edited, rejected")


class SyncDeliveryRow(Base):
    """One outbound event to one URL, with its delivery attempts."""

    __tablename__ = "sync_deliveries"
    __table_args__ = (UniqueConstraint("event_id", "url", name="uq_delivery"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64), index=True, doc="evt_ + 32 hex of event_key")
    event_key: Mapped[str | None] = mapped_column(Text, nullable=True,
                                                  doc="logical key: account|revision|type")
    event_type: Mapped[str] = mapped_column(String(50))
    account_id: Mapped[str] = mapped_column(String(200), index=True)
    url: Mapped[str] = mapped_column(String(1000))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="pending", doc="pending, delivered, failed")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True,
        doc="when a pending delivery is due again (backoff, or the lease of an attempt in flight)")


class ApiTokenRow(Base):
    """A bearer token of the HTTP API: only its SHA-256 is stored (the token is shown once)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    scope: Mapped[str] = mapped_column(String(10), doc="read, write or admin")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, doc="sha256 hex of the token")
    prefix: Mapped[str] = mapped_column(String(12), doc="first characters, to recognise it in a list")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CommitmentRow(Base):
    """An agreed next step tracked on the account: open or done (missed is open past its due date)."""

    __tablename__ = "commitments"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    highlight_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    due_text: Mapped[str | None] = mapped_column(String(200), nullable=True, doc="the due date as spoken")
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="open", doc="open or done")
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WorksheetProposalRow(Base):
    """A meeting's proposed answer to one worksheet question, reviewed like a highlight."""

    __tablename__ = "worksheet_proposals"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                                    nullable=True)
    question_key: Mapped[str] = mapped_column(String(60))
    answer: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="pending",
                                        doc="pending, accepted, edited, rejected")
    edited_answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AdvocacyAskRow(Base):
    """An advocacy ask recorded as made, accepted or declined (it brings the flag down)."""

    __tablename__ = "advocacy_asks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(20), doc="made, accepted or declined")
    recorded_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebhookEventRow(Base):
    """One platform event, recorded once: (source, event_key) is unique, so a replay finds it."""

    __tablename__ = "webhook_events"
    __table_args__ = (UniqueConstraint("source", "event_key", name="uq_webhook_event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(20), doc="zoom, msgraph, google-meet or recording")
    event_key: Mapped[str] = mapped_column(String(300), doc="the platform's id of this event")
    meeting_id: Mapped[str | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PlatformMeetingRow(Base):
    """The meeting a platform's meeting (Zoom uuid, Teams meeting, Meet conference) became."""

    __tablename__ = "platform_meetings"
    __table_args__ = (UniqueConstraint("source", "subject", name="uq_platform_meeting"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300), doc="the platform's id of the meeting")
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)


class RemoteSourceRow(Base):
    """An input of a meeting still on its platform; the job downloads it into storage (``key``)."""

    __tablename__ = "remote_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), doc="recording, transcript or track")
    name: Mapped[str | None] = mapped_column(String(200), nullable=True, doc="speaker of a track")
    url: Mapped[str] = mapped_column(Text)
    suffix: Mapped[str] = mapped_column(String(10))
    auth: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    key: Mapped[str | None] = mapped_column(String(500), nullable=True, doc="storage key once fetched")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
