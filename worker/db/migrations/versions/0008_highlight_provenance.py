"""highlight provenance: the heads and the features version that scored each stored highlight

With the extractor's name and version (``extractor``), a stored highlight says exactly what
produced it, so a figure can be reproduced from the same code, heads and features.

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('highlights', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heads', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('features', sa.String(length=40), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('highlights', schema=None) as batch_op:
        batch_op.drop_column('features')
        batch_op.drop_column('heads')
