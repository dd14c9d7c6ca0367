"""the reports' roll-up keeps the days to resolve: for each day and whole month, how many of its
complaints were resolved in each tenth of a day, for the state and per department (the 90th
percentile is read from the summed counts); the roll-up is built whole again at its next run

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-29 14:35:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_period_days_to_resolve',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('period', sa.String(length=5), nullable=False),
                    sa.Column('start', sa.Date(), nullable=False),
                    sa.Column('department_code', sa.String(length=3), nullable=True),
                    sa.Column('tenths', sa.Integer(), nullable=False),
                    sa.Column('resolved', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_period_days_to_resolve')))
    op.create_index('ix_report_period_days_to_resolve_period_start', 'report_period_days_to_resolve',
                    ['period', 'department_code', 'start'])
    op.execute("UPDATE report_rollup_runs SET built_at = NULL")  # its next run builds every row


def downgrade() -> None:
    op.drop_index('ix_report_period_days_to_resolve_period_start', table_name='report_period_days_to_resolve')
    op.drop_table('report_period_days_to_resolve')
