"""Migrations keep every row: down to an old revision and back up loses nothing, on both backends.

SQLite changes a table by copying it (Alembic's batch mode); with foreign keys on, dropping the
old copy of a parent table cascaded into its children. The pattern this stands for: any
migration that adds or drops a column of a table other tables point at (events, submissions).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, table

from podium import create_app
from podium.database import init_migrations
from podium.extensions import db
from podium.review import services as review_services
from podium.review.models import ReviewerAssignment
from tests.conftest import base_test_config, create_postgres_database, drop_postgres_database
from tests.support.factories import (
    MembershipFactory,
    RoomFactory,
    SessionTypeFactory,
    SlotFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    TrackFactory,
    UserFactory,
)

# The revision before the first batch migration of a parent table (5b7e2a9c4d10 changed
# `submissions`); going below it and back runs every later migration both ways.
OLD_REVISION = "c42165bff03a"


def _row_counts() -> dict[str, int]:
    names = sorted(set(inspect(db.engine).get_table_names()) - {"alembic_version"})
    with db.engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
            for name in names
        }


def _seed() -> None:
    user = UserFactory()
    speaker = SpeakerProfileFactory(user=user)
    submission = SubmissionFactory(speaker=speaker, state="accepted")
    event = submission.event
    TrackFactory(event=event)
    room = RoomFactory(event=event)
    SessionTypeFactory(event=event)
    SlotFactory(
        event=event,
        submission_id=submission.id,
        room_id=room.id,
        start_at=datetime(2030, 2, 1, 9, 0, tzinfo=UTC),
    )
    # A review (and with it the event's stored score category and the review's score).
    reviewer = UserFactory()
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    db.session.add(ReviewerAssignment(event_id=event.id, reviewer_id=reviewer.id))
    db.session.commit()
    review_services.save_review(
        event=event, reviewer=reviewer, submission_id=submission.id, score=2, comment="ok"
    )


def _round_trip(url: str, instance: Path) -> tuple[dict[str, int], dict[str, int]]:
    app = create_app(base_test_config(url, instance))
    init_migrations(app)
    directory = app.config["MIGRATIONS_DIR"]
    with app.app_context():
        upgrade(directory=directory)
        _seed()
        db.session.remove()
        before = _row_counts()
        downgrade(directory=directory, revision=OLD_REVISION)
        upgrade(directory=directory)
        after = _row_counts()
        db.engine.dispose()
    return before, after


def test_migrations_down_and_up_keep_every_row_on_sqlite(tmp_path: Path) -> None:
    before, after = _round_trip(f"sqlite:///{tmp_path / 'kept.db'}", tmp_path / "instance")
    assert (before["slots"], before["review_scores"]) == (1, 1)
    assert after == before


@pytest.mark.postgres
def test_migrations_down_and_up_keep_every_row_on_postgresql(
    postgres_server_url: str, tmp_path: Path
) -> None:
    url = create_postgres_database(postgres_server_url, prefix="podium_keep")
    try:
        before, after = _round_trip(url, tmp_path / "instance")
    finally:
        drop_postgres_database(postgres_server_url, url)
    assert (before["slots"], before["review_scores"]) == (1, 1)
    assert after == before
