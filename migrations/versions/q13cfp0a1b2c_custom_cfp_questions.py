"""questions: custom CfP questions, their options and answers

Revision ID: q13cfp0a1b2c
Revises: rc13a1b2c3d4
Create Date: 2026-12-07 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

import podium.db

# revision identifiers, used by Alembic.
revision = "q13cfp0a1b2c"
down_revision = "rc13a1b2c3d4"
branch_labels = None
depends_on = None


def upgrade():
    # New tables only: no existing row changes meaning.
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("help_text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("min_number", sa.Float(), nullable=True),
        sa.Column("max_number", sa.Float(), nullable=True),
        sa.Column("session_type_ids", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("track_ids", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("hidden_from_reviewers", sa.Boolean(), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("archived_at", podium.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", podium.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_questions_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questions_event_id"), ["event_id"], unique=False)

    op.create_table(
        "question_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_question_options_question_id_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_options")),
    )
    with op.batch_alter_table("question_options", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_question_options_question_id"), ["question_id"], unique=False
        )

    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("option_ids", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("updated_at", podium.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_answers_question_id_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["speaker_profiles.id"],
            name=op.f("fk_answers_speaker_id_speaker_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_answers_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint(
            "question_id", "speaker_id", name=op.f("uq_answers_question_id_speaker_id")
        ),
        sa.UniqueConstraint(
            "question_id", "submission_id", name=op.f("uq_answers_question_id_submission_id")
        ),
    )
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answers_question_id"), ["question_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_answers_speaker_id"), ["speaker_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_answers_submission_id"), ["submission_id"], unique=False
        )


def downgrade():
    op.drop_table("answers")
    op.drop_table("question_options")
    op.drop_table("questions")
