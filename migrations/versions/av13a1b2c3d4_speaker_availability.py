"""speaker availability: ranges per speaker and event, and the event's "required in the CfP"

Revision ID: av13a1b2c3d4
Revises: ba13bid0a1b2
Create Date: 2026-12-07 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "av13a1b2c3d4"
down_revision = "ba13bid0a1b2"
branch_labels = None
depends_on = None


def upgrade():
    # A new table: nobody has given availability yet, which constrains nothing.
    op.create_table(
        "speaker_availability",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_speaker_availability_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["speaker_profiles.id"],
            name=op.f("fk_speaker_availability_speaker_id_speaker_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_availability")),
    )
    op.create_index(
        "ix_speaker_availability_event_speaker",
        "speaker_availability",
        ["event_id", "speaker_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_speaker_availability_speaker_id"),
        "speaker_availability",
        ["speaker_id"],
        unique=False,
    )
    # Existing events keep their CfP as it was: availability is not asked for.
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "availability_required", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("availability_required")
    op.drop_index(op.f("ix_speaker_availability_speaker_id"), table_name="speaker_availability")
    op.drop_index("ix_speaker_availability_event_speaker", table_name="speaker_availability")
    op.drop_table("speaker_availability")
