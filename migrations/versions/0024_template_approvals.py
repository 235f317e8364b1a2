"""template_approvals: approved template ids set through the API (issue 14)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 03:20:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import smsgateway.db


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('template_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('approved_id', sa.String(length=32), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', smsgateway.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_template_approvals_set_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_approvals')),
    sa.UniqueConstraint('template', 'language', name=op.f('uq_template_approvals_template'))
    )


def downgrade() -> None:
    op.drop_table('template_approvals')
