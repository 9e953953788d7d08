"""co-speaker invitations: canceled_at, and an index for the per-inviter sending limit

Revision ID: c42165bff03a
Revises: 0e54697f5557
Create Date: 2026-11-30 09:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

import podium.db

# revision identifiers, used by Alembic.
revision = "c42165bff03a"
down_revision = "0e54697f5557"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("co_speaker_invitations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("canceled_at", podium.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_co_speaker_invitations_invited_by_id"),
            ["invited_by_id", "created_at"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("co_speaker_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_co_speaker_invitations_invited_by_id"))
        batch_op.drop_column("canceled_at")
