"""reports: grades per month; indexes for the dashboards

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 06:05:00
"""
import sqlalchemy as sa
from alembic import op

import models.core.base

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_grades',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('grade', sa.String(length=1), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('computed_at', models.core.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_grades')),
    sa.UniqueConstraint('month', 'kind', 'code', name='uq_report_grades_month_kind_code')
    )
    with op.batch_alter_table('report_grades', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_grades_month'), ['month'], unique=False)
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_registered', ['registered_at'], unique=False)
        batch_op.create_index('ix_complaints_dept_registered', ['department_code', 'registered_at'], unique=False)
        batch_op.create_index('ix_complaints_district_registered', ['district_code', 'registered_at'],
                              unique=False)
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_events_action_at', ['action', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_events_action_at')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_district_registered')
        batch_op.drop_index('ix_complaints_dept_registered')
        batch_op.drop_index('ix_complaints_registered')
    with op.batch_alter_table('report_grades', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_grades_month'))
    op.drop_table('report_grades')
