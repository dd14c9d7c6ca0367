"""whatsapp media: when an inbound photo or document was stored as the complaint's attachment

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 06:00:00
"""
import sqlalchemy as sa
from alembic import op

import models.core.base

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('whatsapp_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('media_stored_at', models.core.base.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('whatsapp_messages', schema=None) as batch_op:
        batch_op.drop_column('media_stored_at')
