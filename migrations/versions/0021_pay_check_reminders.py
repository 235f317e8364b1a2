"""pay_checks: reminded_at (an unanswered pay check is reminded once, then left) and the
placement's township_id with an index per month and township (the report's figures)

Revision ID: 0021
Revises: 0018
Create Date: 2026-11-30 23:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import smsgateway.db


revision = '0021'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pay_checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', smsgateway.db.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('township_id', sa.Integer(), nullable=True))
    op.execute("UPDATE pay_checks SET township_id = (SELECT applications.township_id "
               "FROM applications WHERE applications.id = pay_checks.application_id)")
    with op.batch_alter_table('pay_checks', schema=None) as batch_op:
        batch_op.alter_column('township_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_pay_checks_township_id_areas'), 'areas',
                                    ['township_id'], ['id'])
        batch_op.create_index('ix_pay_checks_period_township',
                              ['period', 'township_id', 'answer', 'missing_amount'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pay_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_pay_checks_period_township')
        batch_op.drop_constraint(batch_op.f('fk_pay_checks_township_id_areas'),
                                 type_='foreignkey')
        batch_op.drop_column('township_id')
        batch_op.drop_column('reminded_at')
