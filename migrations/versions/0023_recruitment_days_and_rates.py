"""recruitment days, interview slots and interviews; applications indexed by the month made

Revision ID: 0023
Revises: 0016
Create Date: 2026-11-30 22:44:08.207822
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import smsgateway.db


revision = '0023'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recruitment_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', name='recruitmentdaystatus', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', smsgateway.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_recruitment_days_created_by_id_users')),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_recruitment_days_posting_id_postings')),
    sa.ForeignKeyConstraint(['township_id'], ['areas.id'], name=op.f('fk_recruitment_days_township_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recruitment_days'))
    )
    with op.batch_alter_table('recruitment_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruitment_days_posting_id'), ['posting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recruitment_days_township_id'), ['township_id'], unique=False)

    op.create_table('interview_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('starts', sa.String(length=5), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['day_id'], ['recruitment_days.id'], name=op.f('fk_interview_slots_day_id_recruitment_days')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_slots')),
    sa.UniqueConstraint('day_id', 'number', name=op.f('uq_interview_slots_day_id'))
    )
    op.create_table('interviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day_id', sa.Integer(), nullable=False),
    sa.Column('villager_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('invited', 'choosing', 'booked', 'shortlisted', 'rejected', 'no_show', 'cancelled', name='interviewstatus', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('asked_at', smsgateway.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('booked_at', smsgateway.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('remind_at', smsgateway.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', smsgateway.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome_at', smsgateway.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_interviews_application_id_applications')),
    sa.ForeignKeyConstraint(['day_id'], ['recruitment_days.id'], name=op.f('fk_interviews_day_id_recruitment_days')),
    sa.ForeignKeyConstraint(['slot_id'], ['interview_slots.id'], name=op.f('fk_interviews_slot_id_interview_slots')),
    sa.ForeignKeyConstraint(['villager_id'], ['villagers.id'], name=op.f('fk_interviews_villager_id_villagers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews')),
    sa.UniqueConstraint('day_id', 'villager_id', name=op.f('uq_interviews_day_id'))
    )
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index('ix_interviews_remind_at', ['remind_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_villager_id'), ['villager_id'], unique=False)

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_created', ['created_at', 'township_id', 'posting_id', 'status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_created')

    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interviews_villager_id'))
        batch_op.drop_index('ix_interviews_remind_at')

    op.drop_table('interviews')
    op.drop_table('interview_slots')
    with op.batch_alter_table('recruitment_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_days_township_id'))
        batch_op.drop_index(batch_op.f('ix_recruitment_days_posting_id'))

    op.drop_table('recruitment_days')
