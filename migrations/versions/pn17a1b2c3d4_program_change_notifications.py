"""program change notifications: PostgreSQL triggers on events and schedule_releases

Each web process listens on one channel and keeps replaying stored public responses until a
statement writes to either table (podium.program.changes, whose create_all DDL says the same).
SQLite needs nothing: it has PRAGMA data_version.

Revision ID: pn17a1b2c3d4
Revises: ml16a1b2c3d4
Create Date: 2026-12-07 23:30:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "pn17a1b2c3d4"
down_revision = "ml16a1b2c3d4"
branch_labels = None
depends_on = None

TRIGGERS = {
    "events": "podium_events_changed",
    "schedule_releases": "podium_schedule_releases_changed",
}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION podium_notify_program_changed() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('podium_program_changed', TG_TABLE_NAME);
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    for table, trigger in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION podium_notify_program_changed()"
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, trigger in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS podium_notify_program_changed()")
