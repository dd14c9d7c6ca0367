"""the reports' roll-up keeps the explanations' counts too (requested, pending, overdue, accepted,
rejected per day or month, district, department and channel; deadlines missed, pending and rejected
per officer), and the explanations' times are indexed so its job finds the ones asked, submitted,
reviewed or fallen due since its last run; the roll-up is built whole again at its next run

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-29 15:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

COLUMNS = {'report_period_counts': ['explanations_requested', 'explanations_pending', 'explanations_overdue',
                                    'explanations_accepted', 'explanations_rejected'],
           'report_period_officers': ['missed_deadlines', 'explanations_pending', 'explanations_rejected']}
TIMES = ['requested_at', 'submitted_at', 'reviewed_at', 'due_at']
# A new explanation (the sweep asks thousands a pass) is neither submitted nor reviewed: those two
# indexes hold only the times set, so asking one writes no entry there.
SET_LATER = {'submitted_at', 'reviewed_at'}


def upgrade() -> None:
    for table, names in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name in names:
                batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default='0'))
    for time in TIMES:
        where = sa.text(f'{time} IS NOT NULL') if time in SET_LATER else None
        op.create_index(f'ix_explanations_{time}', 'explanations', [time], postgresql_where=where, sqlite_where=where)
    op.execute("UPDATE report_rollup_runs SET built_at = NULL")  # its next run builds every row


def downgrade() -> None:
    for time in TIMES:
        op.drop_index(f'ix_explanations_{time}', table_name='explanations')
    for table, names in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name in names:
                batch.drop_column(name)
