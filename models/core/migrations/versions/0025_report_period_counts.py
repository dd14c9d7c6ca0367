"""the reports' roll-up: each day's (and each whole month's) counts of the complaints registered in
it, per district, department and channel, and per officer (district and department); and the worker's last run of it

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-29 11:20:00
"""
import sqlalchemy as sa
from alembic import op

import models.core.base

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

CHANNELS = ('phone', 'whatsapp', 'portal', 'cm_jandarshan', 'collector_jandarshan', 'counter', 'open311')
OPEN_STATUSES = ('assigned', 'escalated', 'in_progress', 'paused', 'registered', 'reopened', 'returned',
                 'with_nodal')
LEVELS = ('L1', 'L2', 'L3', 'L4')
# measures.tally's counts (overdue: as of the run that stored the row).
COUNTS = ['registered', 'open', *(f'open_{s}' for s in OPEN_STATUSES), *(f'open_{lv}' for lv in LEVELS),
          'overdue', *(f'overdue_{lv}' for lv in LEVELS), 'resolved', *(f'resolved_{lv}' for lv in LEVELS),
          *(f'closure_{k}' for k in ('satisfied', 'no_response', 'special', 'force', 'unrecorded')),
          'reopenings', 'reopened', 'resolved_ever', 'days_count']
OFFICER_COUNTS = ['assigned', 'holding', 'resolved_in_time', 'resolved_late', 'escalated_away']


def _period_columns():
    return [sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('period', sa.String(length=5), nullable=False),
            sa.Column('start', sa.Date(), nullable=False),
            sa.Column('district_code', sa.String(length=3), nullable=True),
            sa.Column('department_code', sa.String(length=3), nullable=True)]


def upgrade() -> None:
    op.create_table('report_period_counts', *_period_columns(),
                    sa.Column('channel', sa.Enum(*CHANNELS, name='channel', native_enum=False, length=30),
                              nullable=False),
                    *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
                    sa.Column('days_sum', sa.Float(), nullable=True),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_period_counts')))
    op.create_index('ix_report_period_counts_period_start', 'report_period_counts', ['period', 'start'])
    op.create_table('report_period_officers', *_period_columns(),
                    sa.Column('officer_id', sa.Integer(), nullable=False),
                    *(sa.Column(name, sa.Integer(), nullable=False) for name in OFFICER_COUNTS),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_period_officers')))
    op.create_index('ix_report_period_officers_period_start', 'report_period_officers',
                    ['period', 'department_code', 'start'])
    op.create_table('report_rollup_runs',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('built_at', models.core.base.UTCDateTime(timezone=True), nullable=True),
                    sa.Column('events_after', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_rollup_runs')))
    op.execute("INSERT INTO report_rollup_runs (id, built_at, events_after) VALUES (1, NULL, 0)")


def downgrade() -> None:
    op.drop_table('report_rollup_runs')
    op.drop_index('ix_report_period_officers_period_start', table_name='report_period_officers')
    op.drop_table('report_period_officers')
    op.drop_index('ix_report_period_counts_period_start', table_name='report_period_counts')
    op.drop_table('report_period_counts')
