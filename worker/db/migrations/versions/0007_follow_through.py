"""follow-through: commitments, worksheet proposals, advocacy asks

Next steps become tracked ``commitments``; each meeting proposes Five Questions answers
(``worksheet_proposals``, reviewed like highlights); recorded ``advocacy_asks`` bring the
advocacy flag down.

Revision ID: 0007
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'commitments',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('account_id', sa.String(length=200), nullable=False),
        sa.Column('meeting_id', sa.String(length=100), nullable=False),
        sa.Column('highlight_id', sa.String(length=40), nullable=True),
        sa.Column('action', sa.Text(), nullable=False),
        sa.Column('owner', sa.String(length=200), nullable=True),
        sa.Column('due_text', sa.String(length=200), nullable=True),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('done_on', sa.Date(), nullable=True),
        sa.Column('source', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_commitments_account_id'), 'commitments', ['account_id'], unique=False)
    op.create_index(op.f('ix_commitments_meeting_id'), 'commitments', ['meeting_id'], unique=False)
    op.create_table(
        'worksheet_proposals',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('account_id', sa.String(length=200), nullable=False),
        sa.Column('meeting_id', sa.String(length=100), nullable=True),
        sa.Column('question_key', sa.String(length=60), nullable=False),
        sa.Column('answer', sa.Text(), nullable=False),
        sa.Column('sources', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('edited_answer', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_worksheet_proposals_account_id'), 'worksheet_proposals', ['account_id'],
                    unique=False)
    op.create_table(
        'advocacy_asks',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('account_id', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('recorded_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_advocacy_asks_account_id'), 'advocacy_asks', ['account_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_advocacy_asks_account_id'), table_name='advocacy_asks')
    op.drop_table('advocacy_asks')
    op.drop_index(op.f('ix_worksheet_proposals_account_id'), table_name='worksheet_proposals')
    op.drop_table('worksheet_proposals')
    op.drop_index(op.f('ix_commitments_meeting_id'), table_name='commitments')
    op.drop_index(op.f('ix_commitments_account_id'), table_name='commitments')
    op.drop_table('commitments')
