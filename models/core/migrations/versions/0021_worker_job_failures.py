"""each failed run of a worker job with its error, so a failed run listed on /admin/jobs shows its own

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-29 08:45:00

worker_jobs (0020) keeps only a job's latest failure; a job that fails at every tick would hide the
error of the run an administrator is about to retry. Kept 30 days (the worker's old-jobs task).
"""
import sqlalchemy as sa
from alembic import op

import models.core.base

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'worker_job_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run', sa.BigInteger(), nullable=True),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('failed_at', models.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_job_failures')),
    )
    op.create_index('ix_worker_job_failures_run', 'worker_job_failures', ['run'])
    op.create_index('ix_worker_job_failures_failed_at', 'worker_job_failures', ['failed_at'])


def downgrade() -> None:
    op.drop_table('worker_job_failures')
