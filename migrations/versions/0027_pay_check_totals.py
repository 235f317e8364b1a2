"""pay_check_totals: the pay checks of each month and township, counted as they are written
(the report reads them instead of counting the month's pay checks); filled from the pay
checks already there. The index that counting read goes.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-01 06:20:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'pay_check_totals',
        sa.Column('period', sa.String(length=7), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('asked', sa.Integer(), nullable=False),
        sa.Column('answered', sa.Integer(), nullable=False),
        sa.Column('paid_in_full', sa.Integer(), nullable=False),
        sa.Column('missing_amount', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['township_id'], ['areas.id'],
                                name=op.f('fk_pay_check_totals_township_id_areas')),
        sa.PrimaryKeyConstraint('period', 'township_id', name=op.f('pk_pay_check_totals')))
    op.execute(
        "INSERT INTO pay_check_totals (period, township_id, asked, answered, paid_in_full, "
        "missing_amount) SELECT period, township_id, count(*), count(answer), "
        "sum(CASE WHEN answer = 'full' THEN 1 ELSE 0 END), coalesce(sum(missing_amount), 0) "
        "FROM pay_checks GROUP BY period, township_id")
    with op.batch_alter_table('pay_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_pay_checks_period_township')


def downgrade() -> None:
    with op.batch_alter_table('pay_checks', schema=None) as batch_op:
        batch_op.create_index('ix_pay_checks_period_township',
                              ['period', 'township_id', 'answer', 'missing_amount'],
                              unique=False)
    op.drop_table('pay_check_totals')
