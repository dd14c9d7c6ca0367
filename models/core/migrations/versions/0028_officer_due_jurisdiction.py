"""an officer's open complaints by due time carry their department and district (PostgreSQL), so the
workspace's total of "held by me OR my jurisdiction's" is two counts read from indexes alone —
the jurisdiction's, and those held outside it — instead of a bitmap OR that reads the heap page
of every open complaint of the jurisdiction (49,000 pages for an L2 officer at 10 M)

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-29 14:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

OPEN = ("status IN ('registered', 'assigned', 'in_progress', 'escalated', 'returned', 'reopened', "
        "'with_nodal', 'paused')")


def _officer_due(include: list[str]) -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return  # SQLite has no INCLUDE: its index stays as migration 0014 made it
    op.drop_index('ix_complaints_officer_due', table_name='complaints')
    op.create_index('ix_complaints_officer_due', 'complaints', ['officer_id', 'due_at'],
                    postgresql_where=sa.text(OPEN), postgresql_include=include)


def upgrade() -> None:
    _officer_due(['department_code', 'district_code'])


def downgrade() -> None:
    _officer_due([])
