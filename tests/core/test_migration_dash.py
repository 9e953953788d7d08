"""Migration h2dash01a7c3 upgrades a database holding data, and downgrades again.

Existing events get 2 wanted reviews per submission; decisions released before it stay
visible to their speakers (announced when released); unreleased ones stay unannounced.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from podium import create_app
from podium.database import init_migrations
from podium.extensions import db
from tests.conftest import base_test_config, create_postgres_database, drop_postgres_database

BEFORE, REVISION = "5b7e2a9c4d10", "h2dash01a7c3"


def _upgrade_with_data(url: str, instance: Path) -> tuple[list[tuple], list[tuple], set[str]]:
    app = create_app(base_test_config(url, instance))
    init_migrations(app)
    directory = app.config["MIGRATIONS_DIR"]
    with app.app_context():
        upgrade(directory=directory, revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO events (id, slug, name, time_zone, start_date, end_date,"
                    " day_change_minutes, description, url, is_public, anonymised_review,"
                    " score_min, score_max, score_labels, created_at) VALUES (1, 'old', 'Old',"
                    " 'UTC', '2030-01-01', '2030-01-02', 0, '', '', false, false, 0, 3, '{}',"
                    " '2029-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO submissions (id, event_id, guid, title, subtitle, abstract,"
                    " description, notes, duration_minutes, language, audience_level,"
                    " do_not_record, state, links, created_at, updated_at) VALUES (1, 1, 'g-1',"
                    " 'T', '', '', '', '', 30, 'en', 'all', false, 'accepted', '[]',"
                    " '2029-01-01 00:00:00', '2029-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO review_decisions (id, event_id, submission_id, decision,"
                    " decided_at, released_at) VALUES"
                    " (1, 1, 1, 'accepted', '2029-02-01 00:00:00', '2029-02-02 10:00:00'),"
                    " (2, 1, 1, 'rejected', '2029-02-03 00:00:00', NULL)"
                )
            )
        upgrade(directory=directory, revision=REVISION)
        with db.engine.connect() as connection:
            events = connection.execute(
                text("SELECT slug, reviews_per_submission FROM events")
            ).all()
            decisions = connection.execute(
                text(
                    "SELECT id, released_at IS NOT NULL, announced_at = released_at,"
                    " announced_at IS NULL FROM review_decisions ORDER BY id"
                )
            ).all()
            after = ([tuple(r) for r in events], [tuple(r) for r in decisions])
        downgrade(directory=directory, revision=BEFORE)
        columns = {c["name"] for c in inspect(db.engine).get_columns("review_decisions")}
        columns |= {c["name"] for c in inspect(db.engine).get_columns("events")}
        db.engine.dispose()
    return after[0], after[1], columns


def _check(url: str, instance: Path) -> None:
    events, decisions, columns = _upgrade_with_data(url, instance)
    assert events == [("old", 2)]
    # (id, released, announced at release, unannounced): booleans come back as 1/0 on SQLite.
    assert [tuple(bool(v) if i else v for i, v in enumerate(row)) for row in decisions] == [
        (1, True, True, False),
        (2, False, False, True),
    ]
    assert {"announced_at", "reviews_per_submission"} & columns == set()


def test_dash_migration_upgrades_data_and_downgrades_on_sqlite(tmp_path: Path) -> None:
    _check(f"sqlite:///{tmp_path / 'data.db'}", tmp_path / "instance")


@pytest.mark.postgres
def test_dash_migration_upgrades_data_and_downgrades_on_postgresql(
    postgres_server_url: str, tmp_path: Path
) -> None:
    url = create_postgres_database(postgres_server_url, prefix="podium_dashmig")
    try:
        _check(url, tmp_path / "instance")
    finally:
        drop_postgres_database(postgres_server_url, url)
