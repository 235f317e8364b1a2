"""messages: answer and not_before (quiet hours at the send step); contacts: opted_out_reason

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 18:50:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import smsgateway.db


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('not_before', smsgateway.db.UTCDateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opted_out_reason', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('opted_out_reason')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('not_before')
        batch_op.drop_column('answer')
