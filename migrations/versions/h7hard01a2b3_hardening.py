"""hardening: per-recipient mail counts

Revision ID: h7hard01a2b3
Revises: 5b7e2a9c4d10
Create Date: 2026-12-07 14:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "h7hard01a2b3"
down_revision = "5b7e2a9c4d10"
branch_labels = None
depends_on = None


def upgrade():
    # A new table: existing databases start counting from zero.
    op.create_table(
        "mail_recipient_counts",
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("address_hash", "hour", name=op.f("pk_mail_recipient_counts")),
    )


def downgrade():
    op.drop_table("mail_recipient_counts")
