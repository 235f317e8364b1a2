"""checkins: the placement's township_id, with the index of answered check-ins per
township (the report counts a month's answers without joining applications)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 05:50:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('township_id', sa.Integer(), nullable=True))
    op.execute("UPDATE checkins SET township_id = (SELECT applications.township_id "
               "FROM applications WHERE applications.id = checkins.application_id)")
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.alter_column('township_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_checkins_township_id_areas'), 'areas',
                                    ['township_id'], ['id'])
        batch_op.drop_index('ix_checkins_answered')
        batch_op.create_index('ix_checkins_answered', ['answered_at', 'township_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index('ix_checkins_answered')
        batch_op.create_index('ix_checkins_answered', ['answered_at', 'application_id'],
                              unique=False)
        batch_op.drop_constraint(batch_op.f('fk_checkins_township_id_areas'),
                                 type_='foreignkey')
        batch_op.drop_column('township_id')
