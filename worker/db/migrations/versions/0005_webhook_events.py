"""webhook events, platform meetings and remote sources

``webhook_events`` makes every platform event count once (unique source + event key);
``platform_meetings`` maps a platform's meeting to ours (unique source + subject), so a
recording and a later transcript land on one meeting; ``remote_sources`` lists the inputs the
job downloads before ingest.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'webhook_events',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('event_key', sa.String(length=300), nullable=False),
        sa.Column('meeting_id', sa.String(length=100), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('source', 'event_key', name='uq_webhook_event'),
    )
    op.create_index(op.f('ix_webhook_events_meeting_id'), 'webhook_events', ['meeting_id'], unique=False)
    op.create_table(
        'platform_meetings',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('meeting_id', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('source', 'subject', name='uq_platform_meeting'),
    )
    op.create_index(op.f('ix_platform_meetings_meeting_id'), 'platform_meetings', ['meeting_id'],
                    unique=False)
    op.create_table(
        'remote_sources',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('meeting_id', sa.String(length=100), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=True),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('suffix', sa.String(length=10), nullable=False),
        sa.Column('auth', sa.JSON(), nullable=False),
        sa.Column('key', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_remote_sources_meeting_id'), 'remote_sources', ['meeting_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_remote_sources_meeting_id'), table_name='remote_sources')
    op.drop_table('remote_sources')
    op.drop_index(op.f('ix_platform_meetings_meeting_id'), table_name='platform_meetings')
    op.drop_table('platform_meetings')
    op.drop_index(op.f('ix_webhook_events_meeting_id'), table_name='webhook_events')
    op.drop_table('webhook_events')
