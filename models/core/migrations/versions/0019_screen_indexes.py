"""indexes for the screens at 10 M complaints: Open311's newest requests, the officers' and
secretaries' workspaces, the department's figures

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29 08:25:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

OPEN = ("status IN ('registered', 'assigned', 'in_progress', 'escalated', 'returned', 'reopened', "
        "'with_nodal', 'paused')")


def upgrade() -> None:
    # Open311 `requests`: the newest of a date range, of all services or of some.
    op.create_index('ix_complaints_created', 'complaints', ['created_at'])
    op.create_index('ix_complaints_category_created', 'complaints', ['category_code', 'created_at'])
    # A workspace's first page by due time: a department's (secretary, nodal, L3) and a district's (L2).
    op.create_index('ix_complaints_dept_open_due', 'complaints', ['department_code', 'due_at'],
                    postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
    op.create_index('ix_complaints_dept_district_open_due', 'complaints',
                    ['department_code', 'district_code', 'due_at'],
                    postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
    # The secretary's figures (by status, by level resolved) read from the index alone.
    op.create_index('ix_complaints_dept_status', 'complaints', ['department_code', 'status', 'resolved_level'])


def downgrade() -> None:
    for name in ('ix_complaints_dept_status', 'ix_complaints_dept_district_open_due', 'ix_complaints_dept_open_due',
                 'ix_complaints_category_created', 'ix_complaints_created'):
        op.drop_index(name, table_name='complaints')
