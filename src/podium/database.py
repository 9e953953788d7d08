"""Engine set-up and database health: SQLite pragmas, reachability, migration state."""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Engine, Executable, Row, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

# Alembic is imported only inside init_migrations (the CLI): importing it costs a web worker
# about 10 MB, so /readyz reads the migration state without it.


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


READER_KEY = "podium_reader_engine"


def install_reader(app: Flask, engine: Engine) -> None:
    """Give ``app`` a second engine on ``engine``'s database for the hot, read-only path.

    The public program reads one indexed row per request (the event and its latest release).
    Through the ORM session on ``engine`` that row cost PostgreSQL four round trips (the
    pool's pre-ping ``BEGIN`` + ``SELECT 1``, the query, the ``ROLLBACK`` on return) and the
    session's set-up and tear-down. The reader runs in autocommit (no ``BEGIN``/``ROLLBACK``)
    without pre-ping: :func:`read_first` retries once on a fresh connection instead, so a
    server restart still costs no request. It is disposed with ``engine`` (tests create and
    dispose hundreds of apps). An in-memory SQLite database cannot be shared by two engines,
    so there the reads go through the session as before.
    """
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return
    options: dict[str, Any] = {"isolation_level": "AUTOCOMMIT", "pool_pre_ping": False}
    if url.get_backend_name() == "postgresql":
        options["connect_args"] = {"connect_timeout": 5}
    reader = create_engine(url, **options)
    install_sqlite_pragmas(reader)
    event.listen(engine, "engine_disposed", lambda _engine: reader.dispose())
    app.extensions[READER_KEY] = reader


def read_first(statement: Executable, params: dict[str, Any]) -> Row[Any] | None:
    """The first row of a read-only ``statement``, in one round trip on the reader engine.

    A pooled connection the server has closed (a restart) fails once with
    ``connection_invalidated``; SQLAlchemy then drops the pool's connections and the
    statement is run again on a new one. Any other error (an unreachable server) propagates.
    """
    reader: Engine | None = current_app.extensions.get(READER_KEY)
    if reader is None:
        from podium.extensions import db

        return db.session.connection().execute(statement, params).first()
    try:
        with reader.connect() as connection:
            return connection.execute(statement, params).first()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
    with reader.connect() as connection:
        return connection.execute(statement, params).first()


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
    """The head revisions of the Alembic scripts in ``migrations_dir``/versions.

    Read from each script's ``revision``/``down_revision`` assignments (what Alembic's
    ``ScriptDirectory.get_heads`` computes; a test holds the two equal) without importing
    Alembic, which would cost every web worker that answers ``/readyz`` about 10 MB.
    """
    return set(_heads(str(Path(migrations_dir).resolve())))


@functools.cache
def _heads(migrations_dir: str) -> frozenset[str]:
    # Scripts do not change while the process runs; read them once.
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted(Path(migrations_dir, "versions").glob("*.py")):
        assigned = _revision_assignments(script)
        if "revision" not in assigned:
            continue
        revisions.add(assigned["revision"])
        down = assigned.get("down_revision")
        parents.update([down] if isinstance(down, str) else down or ())
    return frozenset(revisions - parents)


def _revision_assignments(script: Path) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        name = getattr(target, "id", None)
        value = getattr(node, "value", None)
        if name in ("revision", "down_revision") and value is not None:
            found[name] = ast.literal_eval(value)
    return found


def current_revisions(engine: Engine) -> set[str]:
    """The revisions recorded in the database's ``alembic_version`` table (empty if none)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return set()
        rows = connection.execute(text("SELECT version_num FROM alembic_version"))
        return {row[0] for row in rows}


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
