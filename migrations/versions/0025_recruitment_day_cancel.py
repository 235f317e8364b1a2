"""recruitment days: when and why one was cancelled

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 03:10:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import smsgateway.db


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('recruitment_days', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', smsgateway.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('recruitment_days', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
