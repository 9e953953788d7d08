"""hardening: per-recipient mail counts, one-time form tokens, one open co-speaker invitation

Revision ID: h7hard01a2b3
Revises: h6fmt0a1b2c3
Create Date: 2026-12-07 14:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "h7hard01a2b3"
down_revision = "h6fmt0a1b2c3"
branch_labels = None
depends_on = None


OPEN = "accepted_at IS NULL AND canceled_at IS NULL"


def upgrade():
    # A new table: existing databases start counting from zero.
    op.create_table(
        "mail_recipient_counts",
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("address_hash", "hour", name=op.f("pk_mail_recipient_counts")),
    )
    op.create_table(
        "form_submissions",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_form_submissions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_form_submissions")),
    )
    # Earlier races may have left two open invitations of one address to one submission: keep
    # the oldest open, cancel the others (kept, as canceled rows always are), then forbid it.
    op.execute(
        sa.text(
            """
            UPDATE co_speaker_invitations SET canceled_at = CURRENT_TIMESTAMP
            WHERE accepted_at IS NULL AND canceled_at IS NULL AND EXISTS (
                SELECT 1 FROM co_speaker_invitations AS older
                WHERE older.submission_id = co_speaker_invitations.submission_id
                  AND older.email = co_speaker_invitations.email
                  AND older.accepted_at IS NULL AND older.canceled_at IS NULL
                  AND older.id < co_speaker_invitations.id
            )
            """
        )
    )
    op.create_index(
        "uq_co_speaker_invitations_open",
        "co_speaker_invitations",
        ["submission_id", "email"],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade():
    op.drop_index("uq_co_speaker_invitations_open", table_name="co_speaker_invitations")
    op.drop_table("form_submissions")
    op.drop_table("mail_recipient_counts")
