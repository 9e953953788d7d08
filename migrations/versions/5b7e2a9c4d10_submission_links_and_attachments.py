"""submissions: links and attachments (slides, video, chat) as a JSON list

Revision ID: 5b7e2a9c4d10
Revises: c42165bff03a
Create Date: 2026-11-30 10:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5b7e2a9c4d10"
down_revision = "c42165bff03a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        # The server default fills existing rows with an empty list.
        batch_op.add_column(
            sa.Column("links", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("links")
