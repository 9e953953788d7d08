"""review: score categories (with tracks), per-category review scores, review phases

Every event gets one category "Overall" on its own scale (labels, weight 1) and each review's
score moves into it, so every total, mean and ranking stays what it was.

Revision ID: rc13a1b2c3d4
Revises: ag15agenda01
Create Date: 2026-12-07 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

import podium.db

# revision identifiers, used by Alembic.
revision = "rc13a1b2c3d4"
down_revision = "ag15agenda01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "score_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("help_text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("score_min", sa.Integer(), nullable=False),
        sa.Column("score_max", sa.Integer(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_score_categories_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_categories")),
    )
    op.create_index(
        op.f("ix_score_categories_event_id"), "score_categories", ["event_id"], unique=False
    )
    op.create_table(
        "score_category_tracks",
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["score_categories.id"],
            name=op.f("fk_score_category_tracks_category_id_score_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["tracks.id"],
            name=op.f("fk_score_category_tracks_track_id_tracks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("category_id", "track_id", name=op.f("pk_score_category_tracks")),
    )
    op.create_table(
        "review_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["score_categories.id"],
            name=op.f("fk_review_scores_category_id_score_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_review_scores_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_scores")),
        sa.UniqueConstraint(
            "review_id", "category_id", name=op.f("uq_review_scores_review_id_category_id")
        ),
    )
    op.create_index(
        op.f("ix_review_scores_category_id"), "review_scores", ["category_id"], unique=False
    )
    op.create_index(
        op.f("ix_review_scores_review_id"), "review_scores", ["review_id"], unique=False
    )
    op.create_table(
        "review_phases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("starts_at", podium.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ends_at", podium.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("is_pinned", sa.Boolean(), nullable=False),
        sa.Column("can_review", sa.Boolean(), nullable=False),
        sa.Column("can_see_other_reviews", sa.Boolean(), nullable=False),
        sa.Column("can_see_speaker_names", sa.Boolean(), nullable=False),
        sa.Column("speakers_can_edit", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_review_phases_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_phases")),
    )
    op.create_index(op.f("ix_review_phases_event_id"), "review_phases", ["event_id"], unique=False)
    # One category per event on the event's scale; its id is not known in advance, so the
    # scores are copied by joining on the event (one "Overall" category per event exists).
    op.execute(
        "INSERT INTO score_categories"
        " (event_id, name, help_text, position, score_min, score_max, labels, weight)"
        " SELECT id, 'Overall', '', 1, score_min, score_max, score_labels, 1 FROM events"
    )
    op.execute(
        "INSERT INTO review_scores (review_id, category_id, value)"
        " SELECT reviews.id, score_categories.id, reviews.score FROM reviews"
        " JOIN submissions ON submissions.id = reviews.submission_id"
        " JOIN score_categories ON score_categories.event_id = submissions.event_id"
    )
    # Plain DROP COLUMN, no batch: a batch copy of "reviews" would be a parent-table copy.
    op.drop_column("reviews", "score")


def downgrade():
    op.add_column(
        "reviews",
        sa.Column("score", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    # Each review's score becomes its total rounded to a whole number (the one value of a
    # one-category event, so an upgraded-then-downgraded database is unchanged).
    connection = op.get_bind()
    categories = {
        row.id: row
        for row in connection.execute(
            sa.text(
                "SELECT score_categories.id, score_categories.score_min,"
                " score_categories.score_max, score_categories.weight,"
                " events.score_min AS ref_min, events.score_max AS ref_max"
                " FROM score_categories JOIN events ON events.id = score_categories.event_id"
            )
        )
    }
    totals: dict[int, list[float]] = {}
    for review_id, category_id, value in connection.execute(
        sa.text("SELECT review_id, category_id, value FROM review_scores")
    ):
        c = categories[category_id]
        span = c.score_max - c.score_min
        ref = c.ref_min + (value - c.score_min) * (c.ref_max - c.ref_min) / span
        weighted, weights = totals.setdefault(review_id, [0.0, 0.0])
        totals[review_id] = [weighted + c.weight * ref, weights + c.weight]
    for review_id, (weighted, weights) in totals.items():
        connection.execute(
            sa.text("UPDATE reviews SET score = :score WHERE id = :id"),
            {"score": round(weighted / weights), "id": review_id},
        )
    op.drop_index(op.f("ix_review_phases_event_id"), table_name="review_phases")
    op.drop_table("review_phases")
    op.drop_index(op.f("ix_review_scores_review_id"), table_name="review_scores")
    op.drop_index(op.f("ix_review_scores_category_id"), table_name="review_scores")
    op.drop_table("review_scores")
    op.drop_table("score_category_tracks")
    op.drop_index(op.f("ix_score_categories_event_id"), table_name="score_categories")
    op.drop_table("score_categories")
