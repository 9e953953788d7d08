"""Migrations build the schema from nothing, on SQLite and PostgreSQL, with no drift."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from podium import create_app
from podium.database import check_migrations_current, init_migrations
from podium.extensions import db
from podium.program.changes import TRIGGER_NAMES
from tests.conftest import base_test_config, create_postgres_database, drop_postgres_database


def _upgrade_and_diff(url: str, instance: Path) -> list[object]:
    app = create_app(base_test_config(url, instance))
    init_migrations(app)
    with app.app_context():
        assert "does not" not in (
            check_migrations_current(db.engine, app.config["MIGRATIONS_DIR"]) or ""
        )
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        assert check_migrations_current(db.engine, app.config["MIGRATIONS_DIR"]) is None
        assert "submissions" in inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
            if connection.dialect.name == "postgresql":
                # Triggers are no part of the metadata diff: the web processes' change
                # notifications depend on them, as create_all installs them.
                names = connection.execute(
                    text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
                ).scalars()
                assert set(TRIGGER_NAMES) <= set(names)
        db.engine.dispose()
    return diff


def test_migrations_upgrade_empty_sqlite_without_drift(tmp_path: Path) -> None:
    diff = _upgrade_and_diff(f"sqlite:///{tmp_path / 'fresh.db'}", tmp_path / "instance")
    assert diff == []


@pytest.mark.postgres
def test_migrations_upgrade_empty_postgresql_without_drift(
    postgres_server_url: str, tmp_path: Path
) -> None:
    url = create_postgres_database(postgres_server_url, prefix="podium_migrate")
    try:
        diff = _upgrade_and_diff(url, tmp_path / "instance")
    finally:
        drop_postgres_database(postgres_server_url, url)
    assert diff == []
