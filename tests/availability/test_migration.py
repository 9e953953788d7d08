"""Migration av13a1b2c3d4 on a database with data: events keep their rows and are not asked
for availability; going back down drops only what it added."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from podium import create_app
from podium.database import init_migrations
from podium.extensions import db
from tests.conftest import base_test_config, create_postgres_database, drop_postgres_database

BEFORE = "h5imp1d2e3f4"
MINE = "av13a1b2c3d4"


def _check(url: str, instance: Path) -> None:
    app = create_app(base_test_config(url, instance))
    init_migrations(app)
    directory = app.config["MIGRATIONS_DIR"]
    with app.app_context():
        upgrade(directory=directory, revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO events (slug, name, time_zone, start_date, end_date,"
                    " day_change_minutes, description, url, is_public, anonymised_review,"
                    " score_min, score_max, score_labels, reviews_per_submission,"
                    " exchange_extra, created_at) VALUES ('kept', 'Kept', 'Europe/Brussels',"
                    " '2030-02-02', '2030-02-03', 0, '', '', true, false, 0, 3, '{}', 2, '{}',"
                    " '2026-01-01 00:00:00+00:00')"
                )
            )
        upgrade(directory=directory, revision=MINE)
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT slug, availability_required FROM events")).all()
        assert [(slug, bool(required)) for slug, required in rows] == [("kept", False)]
        assert "speaker_availability" in inspect(db.engine).get_table_names()
        downgrade(directory=directory, revision=BEFORE)
        db.engine.dispose()
        inspector = inspect(db.engine)
        assert "speaker_availability" not in inspector.get_table_names()
        assert "availability_required" not in {c["name"] for c in inspector.get_columns("events")}
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT slug FROM events")).scalars().all() == ["kept"]
        db.engine.dispose()


def test_migration_keeps_events_on_sqlite(tmp_path: Path) -> None:
    _check(f"sqlite:///{tmp_path / 'av.db'}", tmp_path / "instance")


@pytest.mark.postgres
def test_migration_keeps_events_on_postgresql(postgres_server_url: str, tmp_path: Path) -> None:
    url = create_postgres_database(postgres_server_url, prefix="podium_av13")
    try:
        _check(url, tmp_path / "instance")
    finally:
        drop_postgres_database(postgres_server_url, url)
