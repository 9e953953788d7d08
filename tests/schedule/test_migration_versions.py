"""Migration ed14grid0a1b2 (slot versions, grid step) keeps data both ways on both backends."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from podium import create_app
from podium.database import init_migrations
from podium.extensions import db
from tests.conftest import base_test_config, create_postgres_database, drop_postgres_database
from tests.support.factories import RoomFactory, SlotFactory, SubmissionFactory

BEFORE = "h5imp1d2e3f4"


def _round_trip(url: str, instance: Path) -> list[tuple[int, int, int]]:
    """Seed at head with a changed slot and a 5-minute step, go below ed14 and back up."""
    app = create_app(base_test_config(url, instance))
    init_migrations(app)
    directory = app.config["MIGRATIONS_DIR"]
    with app.app_context():
        upgrade(directory=directory)
        submission = SubmissionFactory(state="confirmed")
        submission.event.slot_step_minutes = 5
        slot = SlotFactory(
            event=submission.event,
            submission_id=submission.id,
            room_id=RoomFactory(event=submission.event).id,
            start_at=datetime(2030, 2, 1, 9, 0, tzinfo=UTC),
        )
        slot.room_id = None  # a change: version 2
        db.session.commit()
        db.session.remove()
        downgrade(directory=directory, revision=BEFORE)
        with db.engine.connect() as connection:
            kept_before = connection.execute(text("SELECT count(*) FROM slots")).scalar_one()
        upgrade(directory=directory)
        with db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT slots.version, events.slot_step_minutes, :kept FROM slots "
                    "JOIN events ON events.id = slots.event_id"
                ),
                {"kept": kept_before},
            ).all()
        db.engine.dispose()
    return [tuple(row) for row in rows]


def test_versions_and_step_round_trip_on_sqlite(tmp_path: Path) -> None:
    rows = _round_trip(f"sqlite:///{tmp_path / 'ed14.db'}", tmp_path / "instance")
    # Down drops the columns (the slot stays); up gives existing rows the defaults back.
    assert rows == [(1, 15, 1)]


@pytest.mark.postgres
def test_versions_and_step_round_trip_on_postgresql(
    postgres_server_url: str, tmp_path: Path
) -> None:
    url = create_postgres_database(postgres_server_url, prefix="podium_ed14")
    try:
        rows = _round_trip(url, tmp_path / "instance")
    finally:
        drop_postgres_database(postgres_server_url, url)
    assert rows == [(1, 15, 1)]
