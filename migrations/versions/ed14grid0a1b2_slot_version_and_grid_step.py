"""slots: a version for optimistic locking; events: the schedule editor's grid step

Revision ID: ed14grid0a1b2
Revises: av13a1b2c3d4
Create Date: 2026-12-07 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ed14grid0a1b2"
down_revision = "av13a1b2c3d4"
branch_labels = None
depends_on = None


def upgrade():
    # Existing slots start at version 1 and existing events at a 15-minute step, the values
    # new rows get, so nothing already scheduled changes meaning.
    with op.batch_alter_table("slots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("slot_step_minutes", sa.Integer(), nullable=False, server_default="15")
        )


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("slot_step_minutes")
    with op.batch_alter_table("slots", schema=None) as batch_op:
        batch_op.drop_column("version")
