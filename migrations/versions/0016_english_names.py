"""English names of agencies and employers (issue 17: English texts stay GSM-7)

Revision ID: 0016
Revises: 0021
Create Date: 2026-11-30 23:05:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=120), nullable=True))

    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.drop_column('name_en')

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_column('name_en')
