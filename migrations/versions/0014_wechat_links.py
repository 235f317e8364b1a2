"""wechat_links: WeChat followers linked to a phone's contact by an SMS code

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 19:20:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

import smsgateway.db


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'wechat_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('openid', sa.String(length=64), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=False),
        sa.Column('subscribed', sa.Boolean(), nullable=False),
        sa.Column('linked_at', smsgateway.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', smsgateway.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'],
                                name=op.f('fk_wechat_links_contact_id_contacts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_wechat_links')),
        sa.UniqueConstraint('openid', name=op.f('uq_wechat_links_openid')),
    )
    op.create_index(op.f('ix_wechat_links_contact_id'), 'wechat_links', ['contact_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_wechat_links_contact_id'), table_name='wechat_links')
    op.drop_table('wechat_links')
