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
    # Plain ADD/DROP COLUMN, no batch: on SQLite a batch operation may copy and drop the table,
    # and with foreign keys on, dropping "events" would cascade-delete every submission.
    # The server default gives existing events the same default as new ones.
    op.add_column(
        "events",
        sa.Column(
            "reviews_per_submission", sa.Integer(), server_default=sa.text("2"), nullable=False
        ),
    )
    op.add_column(
        "review_decisions",
        sa.Column("announced_at", podium.db.UTCDateTime(timezone=True), nullable=True),
    )
    # Decisions released before this revision were visible to their speakers at once: keep
    # them visible (announced when released).
    op.execute(
        "UPDATE review_decisions SET announced_at = released_at WHERE released_at IS NOT NULL"
    )


def downgrade():
    op.drop_column("review_decisions", "announced_at")
    op.drop_column("events", "reviews_per_submission")
