"""leaner complaint indexes: an escalation changes indexed columns, so every index of the
complaints takes an entry per escalated row (docs/PERFORMANCE.md, the sweep); drop what no read
needs any more and keep the hearings' index to the complaints that have one

- ix_complaints_status: a prefix of ix_complaints_status_due, which serves the same reads.
- ix_complaints_dept_registered, ix_complaints_district_registered (migration 0023, about 1.2 GB
  each at 10 M): the dashboards and the ranking read the roll-up (0025); what still counts
  complaints by registration — the roll-up job's recount of days, today's live count, the days'
  90th percentile, the drill-down — reads ix_complaints_registered (kept, covering), filtering
  the department or district from its INCLUDE columns.
- ix_complaints_hearing_id: only Jandarshan complaints have a hearing; partial (IS NOT NULL).

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-29 14:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

# As migration 0023 made them.
COUNTED = ['status', 'level', 'resolved_level', 'closure_reason', 'reopen_count', 'due_at', 'channel',
           'resolved_at', 'officer_id']
RANGES = [('ix_complaints_dept_registered', ['department_code', 'registered_at'], ['district_code']),
          ('ix_complaints_district_registered', ['district_code', 'registered_at'], ['department_code'])]
HAS_HEARING = sa.text('hearing_id IS NOT NULL')


def upgrade() -> None:
    op.drop_index('ix_complaints_status', table_name='complaints')
    for name, _columns, _place in RANGES:
        op.drop_index(name, table_name='complaints')
    op.drop_index('ix_complaints_hearing_id', table_name='complaints')
    op.create_index('ix_complaints_hearing_id', 'complaints', ['hearing_id'],
                    postgresql_where=HAS_HEARING, sqlite_where=HAS_HEARING)


def downgrade() -> None:
    op.drop_index('ix_complaints_hearing_id', table_name='complaints')
    op.create_index('ix_complaints_hearing_id', 'complaints', ['hearing_id'])
    for name, columns, place in RANGES:
        op.create_index(name, 'complaints', columns, postgresql_include=[*place, *COUNTED])
    op.create_index('ix_complaints_status', 'complaints', ['status'])
