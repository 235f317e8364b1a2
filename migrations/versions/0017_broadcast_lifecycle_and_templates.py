"""broadcast lifecycle (done, finished_at, excluded) and broadcast templates

Revision ID: 0017
Revises: 0015
Create Date: 2026-11-30 22:50:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import smsgateway.db


revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None

OLD = ('scheduled', 'fanning_out', 'sending', 'cancelled')
NEW = ('scheduled', 'fanning_out', 'sending', 'done', 'cancelled')


def _status(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name='broadcaststatus', native_enum=False, create_constraint=True,
                   length=16)


def upgrade() -> None:
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('finished_at', smsgateway.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('excluded', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('template', sa.JSON(), nullable=True))
        # The status's CHECK constraint learns `done`.
        batch_op.alter_column('status', existing_type=_status(OLD), type_=_status(NEW),
                              existing_nullable=False)


def downgrade() -> None:
    op.execute("UPDATE broadcasts SET status = 'sending' WHERE status = 'done'")
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=_status(NEW), type_=_status(OLD),
                              existing_nullable=False)
        batch_op.drop_column('template')
        batch_op.drop_column('excluded')
        batch_op.drop_column('finished_at')
