"""languages: users.language, events.default_language, events.content_languages

Revision ID: i18n16a1b2c3
Revises: wh15a1b2c3d4
Create Date: 2026-12-07 20:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "i18n16a1b2c3"
down_revision = "wh15a1b2c3d4"
branch_labels = None
depends_on = None


def upgrade():
    # Existing users keep choosing by browser (NULL); existing events are English with no
    # other content language, which is what every one of them was until now.
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(length=10), nullable=True))
    with op.batch_alter_table("events") as batch:
        batch.add_column(
            sa.Column("default_language", sa.String(length=10), nullable=False, server_default="en")
        )
        batch.add_column(
            sa.Column(
                "content_languages", sa.JSON(), nullable=False, server_default=sa.text("'[]'")
            )
        )


def downgrade():
    with op.batch_alter_table("events") as batch:
        batch.drop_column("content_languages")
        batch.drop_column("default_language")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
