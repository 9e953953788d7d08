"""review bids: reviewers' preferences before the automatic assignment

Revision ID: ba13bid0a1b2
Revises: h5imp1d2e3f4
Create Date: 2026-12-07 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ba13bid0a1b2"
down_revision = "h5imp1d2e3f4"
branch_labels = None
depends_on = None


def upgrade():
    # A new table only: existing data keeps its meaning (no bid = no preference).
    op.create_table(
        "review_bids",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("preference", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_review_bids_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["users.id"],
            name=op.f("fk_review_bids_reviewer_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_review_bids_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_bids")),
        sa.UniqueConstraint(
            "reviewer_id", "submission_id", name=op.f("uq_review_bids_reviewer_id_submission_id")
        ),
    )
    with op.batch_alter_table("review_bids", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_bids_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_review_bids_reviewer_id"), ["reviewer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_review_bids_submission_id"), ["submission_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("review_bids", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_bids_submission_id"))
        batch_op.drop_index(batch_op.f("ix_review_bids_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_review_bids_event_id"))
    op.drop_table("review_bids")
