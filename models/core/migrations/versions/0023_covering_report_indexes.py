"""the reports' three range indexes carry the columns the measures count (PostgreSQL INCLUDE),
so a dashboard's queries read the index alone

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-29 08:58:00
"""
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

# What the measures and tables of models/reports/ read of each complaint in the slice.
COUNTED = ['status', 'level', 'resolved_level', 'closure_reason', 'reopen_count', 'due_at', 'channel',
           'resolved_at', 'officer_id']
INDEXES = [('ix_complaints_registered', ['registered_at'], ['district_code', 'department_code']),
           ('ix_complaints_dept_registered', ['department_code', 'registered_at'], ['district_code']),
           ('ix_complaints_district_registered', ['district_code', 'registered_at'], ['department_code'])]


def upgrade() -> None:
    for name, columns, place in INDEXES:
        op.drop_index(name, table_name='complaints')
        op.create_index(name, 'complaints', columns, postgresql_include=[*place, *COUNTED])


def downgrade() -> None:
    for name, columns, _place in INDEXES:
        op.drop_index(name, table_name='complaints')
        op.create_index(name, 'complaints', columns)
