"""record_thresholds: a county's vetting threshold for agencies' records

Revision ID: 0022
Revises: 0017
Create Date: 2026-11-30 23:20:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import smsgateway.db


revision = '0022'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('record_thresholds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', smsgateway.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_record_thresholds_area_id_areas')),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_record_thresholds_set_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_thresholds')),
    sa.UniqueConstraint('area_id', name=op.f('uq_record_thresholds_area_id'))
    )


def downgrade() -> None:
    op.drop_table('record_thresholds')
