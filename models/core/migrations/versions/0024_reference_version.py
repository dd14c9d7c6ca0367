"""reference version: one number the triggers on the master data tables move on, so a process
may keep routing's reference rows between requests and know when to look again

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-29 11:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

WATCHED = ("departments", "categories", "districts", "blocks", "officers", "holidays")
BUMP = "UPDATE reference_version SET version = version + 1 WHERE id = 1"


def upgrade() -> None:
    op.create_table('reference_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_version'))
    )
    op.execute("INSERT INTO reference_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION reference_version_bump() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN {BUMP}; RETURN NULL; END $$")
        for table in WATCHED:
            op.execute(f"CREATE TRIGGER {table}_reference_version AFTER INSERT OR UPDATE OR DELETE "
                       f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION reference_version_bump()")
    else:  # SQLite has row triggers only, one per event
        for table in WATCHED:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_reference_version_{event.lower()} AFTER {event} "
                           f"ON {table} BEGIN {BUMP}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER {table}_reference_version ON {table}")
        op.execute("DROP FUNCTION reference_version_bump()")
    else:
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_reference_version_{event}")
    op.drop_table('reference_version')
