"""sync delivery retry schedule

Deliveries get ``next_attempt_at`` (backoff between attempts made by the workers' delivery
loop, and the lease of an attempt in flight) and ``event_key``, the logical key that the
fixed-length ``event_id`` is a hash of.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sync_deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_key', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_sync_deliveries_next_attempt_at'), ['next_attempt_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sync_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_deliveries_next_attempt_at'))
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('event_key')
