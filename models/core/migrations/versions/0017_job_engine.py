"""the worker's job engine (procrastinate) on PostgreSQL

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 08:30:00

Procrastinate keeps its jobs, periodic ticks, workers and events in tables of its own; on
PostgreSQL this applies its schema (the pinned 3.10 series'). SQLite has no job tables: the
embedded worker keeps its jobs in memory (docs/jobs.md).
"""
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    from procrastinate.schema import SchemaManager

    _run_script(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    _run_script("""
        DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
            procrastinate_workers CASCADE;
        DO $$ DECLARE f regprocedure; BEGIN
            FOR f IN SELECT oid::regprocedure FROM pg_proc WHERE proname LIKE 'procrastinate!_%' ESCAPE '!' LOOP
                EXECUTE 'DROP FUNCTION ' || f || ' CASCADE';
            END LOOP;
        END $$;
        DROP TYPE IF EXISTS procrastinate_job_status, procrastinate_job_event_type,
            procrastinate_job_to_defer_v1 CASCADE;
    """)


def _run_script(sql: str) -> None:
    """Several statements, sent as they are (no parameters: a `%` in them is plain text)."""
    op.get_bind().connection.driver_connection.execute(sql)
