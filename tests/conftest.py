"""Fixtures shared by every test: a Podium app on SQLite and (when configured) PostgreSQL.

Tests that use ``app``, ``client`` or ``db_session`` run once per database backend. PostgreSQL
runs when ``PODIUM_TEST_POSTGRES_URL`` points at a server (``make test`` sets it); each pytest
process then creates and drops its own database, so parallel runs never collide.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from podium import create_app
from podium.extensions import db

POSTGRES_URL = os.environ.get("PODIUM_TEST_POSTGRES_URL", "")
TEST_SECRET_KEY = "test-secret-key-0123456789abcdef"

# The developer's own configuration must never leak into tests.
_OWN_VARIABLES = ("DATABASE_URL", "SECRET_KEY", "DATABASE_URL_FILE", "SECRET_KEY_FILE")


def pytest_configure(config: pytest.Config) -> None:
    # Pages are rendered with the compiled catalogues; `make test` compiles them too, but a
    # bare `pytest` after editing a .po must not test stale translations.
    from podium.i18n.catalogues import compile_all

    compile_all()
    for name in list(os.environ):
        if (
            name.startswith("PODIUM_")
            and name != "PODIUM_TEST_POSTGRES_URL"
            and not (name.startswith("PODIUM_REQUIRE_") or name.startswith("PODIUM_TEST_"))
        ):
            del os.environ[name]
    for name in _OWN_VARIABLES:
        os.environ.pop(name, None)
    # The command line speaks the POSIX locale's language: tests expect English messages
    # whatever the developer's LANG is.
    os.environ.pop("LC_ALL", None)
    os.environ["LC_MESSAGES"] = "C"
    os.environ["PODIUM_ENV_FILE"] = os.devnull


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRES_URL:
        return f"podium: databases sqlite + postgresql ({make_url(POSTGRES_URL).host})"
    return "podium: database sqlite only (set PODIUM_TEST_POSTGRES_URL to test PostgreSQL too)"


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The PostgreSQL server URL for tests, or skip with a visible reason."""
    if not POSTGRES_URL:
        if os.environ.get("PODIUM_REQUIRE_POSTGRES") == "1":
            pytest.fail("PODIUM_REQUIRE_POSTGRES=1 but PODIUM_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not tested: PODIUM_TEST_POSTGRES_URL is not set")
    return POSTGRES_URL


def create_postgres_database(server_url: str, prefix: str = "podium_test") -> str:
    """Create a fresh, uniquely named database on ``server_url``; return its URL."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(server_url: str, database_url: str) -> None:
    """Drop the database created by :func:`create_postgres_database`."""
    name = make_url(database_url).database
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A database with Podium's tables, once per backend for the whole session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'podium-test.db'}"
        server_url = None
    else:
        server_url = request.getfixturevalue("postgres_server_url")
        url = create_postgres_database(server_url)
    _create_schema(url, tmp_path_factory.mktemp("schema-instance"))
    yield url
    if server_url:
        drop_postgres_database(server_url, url)


def _create_schema(url: str, instance: Path) -> None:
    app = create_app(base_test_config(url, instance))
    with app.app_context():
        db.create_all()
        db.engine.dispose()


def base_test_config(database_url: str, instance_path: Path) -> dict[str, object]:
    """Settings every test app uses: its own database and instance folder, fast hashing."""
    return {
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": TEST_SECRET_KEY,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_FAST": True,
        "BASE_URL": "http://localhost",
    }


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app_config() -> dict[str, object]:
    """Extra settings for the ``app`` fixture; override this fixture in a test module."""
    return {}


@pytest.fixture
def app(database_url: str, tmp_path: Path, app_config: dict[str, object]) -> Iterator[Flask]:
    """A Podium app inside an app context; every table is emptied after the test."""
    config = base_test_config(database_url, tmp_path / "instance")
    config.update(app_config)
    application = create_app(config)
    request_started.connect(_fresh_g, application)
    with application.app_context():
        try:
            yield application
        finally:
            db.session.rollback()
            _empty_all_tables()
            db.session.remove()
            db.engine.dispose()


def _fresh_g(sender: Flask, **extra: object) -> None:
    # Test requests reuse the fixture's app context and so its ``g``; without this, the user
    # Flask-Login caches in ``g`` for one client would answer for the next client too.
    for key in list(g):
        g.pop(key)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def db_session(app: Flask):  # type: ignore[no-untyped-def]
    """The SQLAlchemy session of ``app``."""
    return db.session


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the runs of ``@pytest.mark.backend(...)`` tests on other database backends.

    Such a test checks something only that database has (row locks between connections,
    SQLite's single write lock); on the other backend it has nothing to check, and a skip
    there would read like a missing service.
    """
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        marker = item.get_closest_marker("backend")
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("database_url") if callspec is not None else None
        if marker is not None and backend is not None and backend not in marker.args:
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
