"""events: reviews wanted per submission; review_decisions: when speakers were told

Revision ID: h2dash01a7c3
Revises: 5b7e2a9c4d10
Create Date: 2026-12-07 14:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

import podium.db

# revision identifiers, used by Alembic.
revision = "h2dash01a7c3"
down_revision = "5b7e2a9c4d10"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        # The server default gives existing events the same default as new ones.
        batch_op.add_column(
            sa.Column(
                "reviews_per_submission", sa.Integer(), server_default=sa.text("2"), nullable=False
            )
        )
    with op.batch_alter_table("review_decisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("announced_at", podium.db.UTCDateTime(timezone=True), nullable=True)
        )
    # Decisions released before this revision were visible to their speakers at once: keep
    # them visible (announced when released).
    op.execute(
        "UPDATE review_decisions SET announced_at = released_at WHERE released_at IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table("review_decisions", schema=None) as batch_op:
        batch_op.drop_column("announced_at")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("reviews_per_submission")
