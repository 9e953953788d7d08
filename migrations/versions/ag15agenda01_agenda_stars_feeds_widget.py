"""agenda: starred sessions, personal calendar feeds, widget framing origins

Revision ID: ag15agenda01
Revises: ed14grid0a1b2
Create Date: 2026-12-07 17:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ag15agenda01"
down_revision = "ed14grid0a1b2"
branch_labels = None
depends_on = None


def upgrade():
    # Three new tables: existing data is untouched; nobody has starred anything yet.
    op.create_table(
        "agenda_stars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("session_guid", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_agenda_stars_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_agenda_stars_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_stars")),
        sa.UniqueConstraint(
            "user_id",
            "event_id",
            "session_guid",
            name=op.f("uq_agenda_stars_user_id_event_id_session_guid"),
        ),
    )
    op.create_index(op.f("ix_agenda_stars_user_id"), "agenda_stars", ["user_id"], unique=False)
    op.create_table(
        "agenda_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_agenda_feeds_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_agenda_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_agenda_feeds_token_hash")),
        sa.UniqueConstraint("user_id", "event_id", name=op.f("uq_agenda_feeds_user_id_event_id")),
    )
    op.create_table(
        "widget_settings",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("allowed_origins", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_widget_settings_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_widget_settings")),
    )


def downgrade():
    op.drop_table("widget_settings")
    op.drop_table("agenda_feeds")
    op.drop_index(op.f("ix_agenda_stars_user_id"), table_name="agenda_stars")
    op.drop_table("agenda_stars")
