"""the job engine defers each periodic tick once, even from a late worker

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 08:20:00

Procrastinate keeps one row per periodic task in procrastinate_periodic_defers, its newest tick,
and relies on its unique (task_name, periodic_id, defer_timestamp) to defer a tick once. A worker
running late (starting up, or slowed down) may defer an older tick after another worker has moved
the row on to a newer one: that tick would run twice. This trigger serialises the deferrals of
one periodic task and skips a tick no newer than the one already deferred.
"""
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("""
        CREATE FUNCTION helpline_one_defer_per_tick() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext('procrastinate_periodic_defers'),
                                          hashtext(NEW.task_name || '/' || NEW.periodic_id));
            IF EXISTS (SELECT 1 FROM procrastinate_periodic_defers
                        WHERE task_name = NEW.task_name AND periodic_id = NEW.periodic_id
                          AND defer_timestamp >= NEW.defer_timestamp) THEN
                RETURN NULL;  -- this tick, or a newer one, is deferred already
            END IF;
            RETURN NEW;
        END;
        $$""")
    op.execute("""
        CREATE TRIGGER helpline_one_defer_per_tick BEFORE INSERT ON procrastinate_periodic_defers
            FOR EACH ROW EXECUTE FUNCTION helpline_one_defer_per_tick()""")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP TRIGGER helpline_one_defer_per_tick ON procrastinate_periodic_defers")
    op.execute("DROP FUNCTION helpline_one_defer_per_tick()")
