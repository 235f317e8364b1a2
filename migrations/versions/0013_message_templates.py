"""messages.template: the template a message was built from, for templated providers;
messages.error_code widened to 64 (Tencent's codes, `FailedOperation.…`, are long)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 19:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messages') as batch_op:
        batch_op.add_column(sa.Column('template', sa.JSON(), nullable=True))
        batch_op.alter_column('error_code', existing_type=sa.String(length=32),
                              type_=sa.String(length=64), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('messages') as batch_op:
        batch_op.alter_column('error_code', existing_type=sa.String(length=64),
                              type_=sa.String(length=32), existing_nullable=True)
        batch_op.drop_column('template')
