"""registration keys: a client's Idempotency-Key for one registration through the API

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-29 08:55:00
"""
import sqlalchemy as sa
from alembic import op

import models.core.base

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('registration_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.core.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'],
                            name=op.f('fk_registration_keys_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], name=op.f('fk_registration_keys_token_id_api_tokens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_keys')),
    sa.UniqueConstraint('token_id', 'key', name='uq_registration_keys_token_id_key')
    )
    with op.batch_alter_table('registration_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_keys_complaint_id'), ['complaint_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('registration_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_keys_complaint_id'))
    op.drop_table('registration_keys')
