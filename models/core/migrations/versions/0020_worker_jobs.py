"""the worker's jobs as last seen: each job's schedule, last success and last failure with its error

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29 08:40:00

One row per job of the registry (scripts/jobs.py), written by the worker on SQLite and PostgreSQL
alike: the job engine keeps no error text, and on SQLite it keeps nothing at all (docs/jobs.md).
"""
import sqlalchemy as sa
from alembic import op

import models.core.base

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'worker_jobs',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('every_s', sa.Integer(), nullable=False),
        sa.Column('registered_at', models.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('succeeded_at', models.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('rows_handled', sa.Integer(), nullable=True),
        sa.Column('failed_at', models.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('failed_run', sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_worker_jobs')),
    )


def downgrade() -> None:
    op.drop_table('worker_jobs')
