"""mail languages: decision_mail_templates.language, outbox_mails.language

Revision ID: ml16a1b2c3d4
Revises: i18n16a1b2c3
Create Date: 2026-12-07 21:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ml16a1b2c3d4"
down_revision = "i18n16a1b2c3"
branch_labels = None
depends_on = None


def upgrade():
    # Every existing text was written for the event's only language until now: its default.
    with op.batch_alter_table("decision_mail_templates") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=10), nullable=False, server_default="en")
        )
    op.execute(
        "UPDATE decision_mail_templates SET language = (SELECT events.default_language "
        "FROM events WHERE events.id = decision_mail_templates.event_id)"
    )
    with op.batch_alter_table("decision_mail_templates") as batch:
        batch.drop_constraint("uq_decision_mail_templates_event_id_kind", type_="unique")
        batch.create_unique_constraint(
            "uq_decision_mail_templates_event_id_kind_language", ["event_id", "kind", "language"]
        )
    with op.batch_alter_table("outbox_mails") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=10), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("outbox_mails") as batch:
        batch.drop_column("language")
    # Only the default-language text of each kind survives (the old key was event and kind).
    op.execute(
        "DELETE FROM decision_mail_templates WHERE language <> (SELECT events.default_language "
        "FROM events WHERE events.id = decision_mail_templates.event_id)"
    )
    with op.batch_alter_table("decision_mail_templates") as batch:
        batch.drop_constraint("uq_decision_mail_templates_event_id_kind_language", type_="unique")
        batch.create_unique_constraint(
            "uq_decision_mail_templates_event_id_kind", ["event_id", "kind"]
        )
        batch.drop_column("language")
