"""pay_checks and promise_checks; employer address; posting pay day

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 22:35:33.241081
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import smsgateway.db


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pay_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('asked_at', smsgateway.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.Enum('full', 'part', 'none', name='payanswer', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('answered_at', smsgateway.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('missing_amount', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_pay_checks_application_id_applications')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_pay_checks_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pay_checks')),
    sa.UniqueConstraint('application_id', 'period', name=op.f('uq_pay_checks_application_id'))
    )
    with op.batch_alter_table('pay_checks', schema=None) as batch_op:
        batch_op.create_index('ix_pay_checks_period', ['period', 'answer'], unique=False)

    op.create_table('promise_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('asked_at', smsgateway.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('job_as_promised', sa.Boolean(), nullable=True),
    sa.Column('pay_as_promised', sa.Boolean(), nullable=True),
    sa.Column('answered_at', smsgateway.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_promise_checks_application_id_applications')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_promise_checks_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promise_checks')),
    sa.UniqueConstraint('application_id', name=op.f('uq_promise_checks_application_id'))
    )
    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=200), nullable=True))

    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pay_day', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.drop_column('pay_day')

    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.drop_column('address')

    op.drop_table('promise_checks')
    with op.batch_alter_table('pay_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_pay_checks_period')

    op.drop_table('pay_checks')
