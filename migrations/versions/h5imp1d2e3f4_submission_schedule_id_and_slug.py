"""submissions: the id and slug a session had in its imported schedule file

Revision ID: h5imp1d2e3f4
Revises: h7hard01a2b3
Create Date: 2026-12-07 14:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "h5imp1d2e3f4"
down_revision = "h7hard01a2b3"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: sessions imported earlier and those created in Podium have none, and exports
    # keep using their database id for them.
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("schedule_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("schedule_slug", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("schedule_slug")
        batch_op.drop_column("schedule_id")
