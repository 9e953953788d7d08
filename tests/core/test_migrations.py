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


def test_migration_heads_without_alembic_match_alembic(tmp_path: Path) -> None:
    """/readyz reads heads from the scripts' assignments; Alembic must agree, merges included."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from podium.database import migration_heads

    def alembic_heads(folder: Path) -> set[str]:
        config = Config()
        config.set_main_option("script_location", str(folder))
        return set(ScriptDirectory.from_config(config).get_heads())

    real = Path(__file__).resolve().parents[2] / "migrations"
    assert migration_heads(real) == alembic_heads(real) != set()

    # Two branches, one merged and one open; annotated and plain assignments.
    (tmp_path / "versions").mkdir()
    (tmp_path / "script.py.mako").write_text((real / "script.py.mako").read_text())
    scripts = {
        "a": 'revision = "a"\ndown_revision = None\n',
        "b": 'revision: str = "b"\ndown_revision: str | None = "a"\n',
        "c": 'revision = "c"\ndown_revision = "a"\n',
        "d": 'revision = "d"\ndown_revision = ("b", "c")\n',
        "e": 'revision = "e"\ndown_revision = "a"\n',
    }
    for name, text_ in scripts.items():
        body = f'"""{name}"""\n{text_}branch_labels = None\ndepends_on = None\n'
        (tmp_path / "versions" / f"{name}.py").write_text(body + "def upgrade():\n    pass\n")
    assert migration_heads(tmp_path) == alembic_heads(tmp_path) == {"d", "e"}
