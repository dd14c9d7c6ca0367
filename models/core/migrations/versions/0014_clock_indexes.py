"""partial indexes for the clock's sweep and the officers' open complaints

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 06:25:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

RUNNING = ("status IN ('assigned', 'in_progress', 'escalated', 'reopened') "
           "AND overdue_flagged_at IS NULL")
OPEN = ("status IN ('registered', 'assigned', 'in_progress', 'escalated', 'returned', 'reopened', "
        "'with_nodal', 'paused')")


def upgrade() -> None:
    op.create_index('ix_complaints_running_due', 'complaints', ['due_at'],
                    postgresql_where=sa.text(RUNNING), sqlite_where=sa.text(RUNNING))
    op.create_index('ix_complaints_officer_due', 'complaints', ['officer_id', 'due_at'],
                    postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))


def downgrade() -> None:
    op.drop_index('ix_complaints_officer_due', table_name='complaints')
    op.drop_index('ix_complaints_running_due', table_name='complaints')
