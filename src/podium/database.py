"""Engine set-up and database health: SQLite pragmas, reachability, migration state."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import SQLAlchemyError

# Alembic is imported inside the functions below: web workers only need it for /readyz, and
# loading it at start would cost every gunicorn worker about 11 MB.


def init_migrations(app: Flask) -> None:
    """Bind Flask-Migrate to ``app`` so ``podium db …`` and ``flask_migrate.upgrade`` work.

    Batch mode is on because SQLite can only change tables by copying them.
    """
    from flask_migrate import Migrate

    from podium.extensions import db

    Migrate(app, db, directory=app.config["MIGRATIONS_DIR"], render_as_batch=True)


def install_sqlite_pragmas(engine: Engine) -> None:
    """Turn on foreign keys and WAL journaling for every SQLite connection of ``engine``.

    SQLite ignores foreign keys unless asked per connection; WAL lets the web process read
    while the mail worker writes.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def describe_database_error(exc: Exception) -> str:
    """Reduce a driver exception to one line an operator can act on."""
    original = getattr(exc, "orig", None) or exc
    message = str(original).strip().splitlines()[0] if str(original).strip() else repr(original)
    return message


def check_reachable(engine: Engine) -> str | None:
    """Return ``None`` if a ``SELECT 1`` succeeds, else a one-line reason."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        return describe_database_error(exc)
    return None


def migration_heads(migrations_dir: str | Path) -> set[str]:
    """The head revisions of the Alembic scripts in ``migrations_dir``."""
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    config = AlembicConfig()
    config.set_main_option("script_location", str(migrations_dir))
    return set(ScriptDirectory.from_config(config).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    """The revisions recorded in the database's ``alembic_version`` table (empty if none)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def check_migrations_current(engine: Engine, migrations_dir: str | Path) -> str | None:
    """Return ``None`` if the database is at the newest migration, else a one-line reason."""
    try:
        current = current_revisions(engine)
    except (SQLAlchemyError, OSError) as exc:
        return describe_database_error(exc)
    heads = migration_heads(migrations_dir)
    if current == heads:
        return None
    if not current:
        return "the database has no tables yet; run `podium db upgrade`"
    return (
        f"the database is at revision {', '.join(sorted(current))} but the code expects "
        f"{', '.join(sorted(heads))}; run `podium db upgrade`"
    )
