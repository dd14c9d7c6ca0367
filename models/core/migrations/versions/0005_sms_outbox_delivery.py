"""sms outbox delivery: a status, the next try, the last try, dead

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 05:30:00
"""
import sqlalchemy as sa
from alembic import op

import models.core.base

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

STATUS = sa.Enum('queued', 'sent', 'failed', 'dead', name='outboxstatus', native_enum=False, length=30)


def upgrade() -> None:
    with op.batch_alter_table('sms_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', STATUS, nullable=False, server_default='queued'))
        batch_op.add_column(sa.Column('next_attempt_at', models.core.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('last_attempt_at', models.core.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('dead_at', models.core.base.UTCDateTime(timezone=True), nullable=True))
    # Rows written before the sender existed: sent if marked so, else due at once.
    op.execute("UPDATE sms_outbox SET status = 'sent' WHERE sent_at IS NOT NULL")
    op.execute("UPDATE sms_outbox SET next_attempt_at = created_at")
    with op.batch_alter_table('sms_outbox', schema=None) as batch_op:
        batch_op.alter_column('next_attempt_at', existing_type=models.core.base.UTCDateTime(timezone=True),
                              nullable=False)
        batch_op.alter_column('status', existing_type=STATUS, server_default=None)
        batch_op.create_index('ix_sms_outbox_status_next_attempt_at', ['status', 'next_attempt_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sms_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_sms_outbox_status_next_attempt_at')
        batch_op.drop_column('dead_at')
        batch_op.drop_column('last_attempt_at')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('status')
