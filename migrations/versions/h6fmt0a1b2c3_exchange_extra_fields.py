"""events, submissions: exchange_extra keeps schedule-file facts Podium has no column for

Logo, venue and city of an event; logo, feedback and origin URLs, recording licence and
live-stream opt-out of a session, so an imported schedule's exports say what the file said.

Revision ID: h6fmt0a1b2c3
Revises: h2dash01a7c3
Create Date: 2026-12-07 14:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "h6fmt0a1b2c3"
down_revision = "h2dash01a7c3"
branch_labels = None
depends_on = None


def upgrade():
    # The server default fills existing rows with an empty object.
    for table in ("events", "submissions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "exchange_extra", sa.JSON(), server_default=sa.text("'{}'"), nullable=False
                )
            )


def downgrade():
    for table in ("submissions", "events"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("exchange_extra")
