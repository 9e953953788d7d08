"""While the database is unreachable: 503 with Retry-After, /readyz "not ready" without the
driver's details, and recovery without a restart once it answers again."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy.engine import make_url

from podium import create_app
from podium.database import init_migrations
from podium.extensions import db
from tests.conftest import base_test_config, create_postgres_database, drop_postgres_database
from tests.support.tcp_relay import TcpRelay

NOT_READY = {"status": "not ready", "reason": "the database does not answer"}
UNAVAILABLE_TEXT = (
    "The database does not answer at the moment. Nothing you sent was saved; please try "
    "again in a few seconds."
)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def unreachable_app(tmp_path: Path) -> Iterator[Flask]:
    """An app whose PostgreSQL URL points at a port nobody listens on."""
    port = _closed_port()
    url = f"postgresql+psycopg://podium:secret@127.0.0.1:{port}/podium"
    app = create_app(base_test_config(url, tmp_path / "instance"))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_pages_answer_503_with_retry_after(unreachable_app: Flask) -> None:
    response = unreachable_app.test_client().get("/")
    body = response.get_data(as_text=True)
    assert (response.status_code, response.headers["Retry-After"]) == (503, "10")
    assert response.headers["Cache-Control"] == "no-store"
    assert "<h1>Temporarily unavailable</h1>" in body
    assert f"<p>{UNAVAILABLE_TEXT}</p>" in body
    # The layout is drawn for an anonymous visitor, without asking the database who it is.
    assert 'href="/account/login"' in body
    assert "127.0.0.1" not in body and "psycopg" not in body


def test_login_post_answers_503_not_500(unreachable_app: Flask) -> None:
    response = unreachable_app.test_client().post(
        "/account/login", data={"email": "ada@example.org", "password": "a password"}
    )
    # Flask-Limiter raises Retry-After to the end of the login limit's window (1 minute).
    retry_after = int(response.headers["Retry-After"])
    assert (response.status_code, 10 <= retry_after <= 60) == (503, True)


def test_api_answers_503_as_json(unreachable_app: Flask) -> None:
    response = unreachable_app.test_client().get("/api/v1/events")
    assert (response.status_code, response.headers["Retry-After"]) == (503, "10")
    assert response.get_json() == {
        "error": {"code": 503, "title": "Temporarily unavailable", "message": UNAVAILABLE_TEXT}
    }


def test_readyz_says_not_ready_without_host_port_or_driver_error(
    unreachable_app: Flask,
) -> None:
    client = unreachable_app.test_client()
    response = client.get("/readyz")
    assert (response.status_code, response.get_json()) == (503, NOT_READY)
    assert response.headers["Retry-After"] == "10"
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_everything_recovers_without_a_restart(postgres_server_url: str, tmp_path: Path) -> None:
    database_url = create_postgres_database(postgres_server_url, "podium_outage")
    server = make_url(database_url)
    relay = TcpRelay(server.host or "127.0.0.1", server.port or 5432)
    relay.start()
    app = create_app(
        base_test_config(
            server.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False),
            tmp_path / "instance",
        )
    )
    init_migrations(app)
    try:
        with app.app_context():
            flask_migrate.upgrade()
        client = app.test_client()
        assert (client.get("/").status_code, client.get("/readyz").get_json()) == (
            200,
            {"status": "ok"},
        )

        relay.stop()  # the pooled connection dies with it, as when the server restarts
        assert [client.get("/").status_code for _ in range(2)] == [503, 503]
        assert client.get("/readyz").get_json() == NOT_READY

        relay.start()
        assert (client.get("/").status_code, client.get("/readyz").get_json()) == (
            200,
            {"status": "ok"},
        )
    finally:
        relay.stop()
        with app.app_context():
            db.engine.dispose()
        drop_postgres_database(postgres_server_url, database_url)
