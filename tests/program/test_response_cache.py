"""The response cache in front of Flask: repeated anonymous requests for the public program
and its exports are replayed without running Flask or a query, and any write to the event or
its releases, by this process or any other, is served on the very next request."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask, request_started
from sqlalchemy import text
from sqlalchemy.engine import make_url

from podium import create_app
from podium.events.models import Event
from podium.extensions import db
from podium.program.changes import CHANNEL, PostgresChangeSignal
from podium.program.response_cache import ResponseCache
from podium.schedule import services
from tests.conftest import base_test_config
from tests.program.test_queries import build
from tests.support.queries import count_queries

URLS = [
    "/{slug}/schedule/",
    "/{slug}/schedule/list",
    "/{slug}/sessions/{guid}",
    "/{slug}/schedule.xml",
    "/{slug}/schedule.ics",
    "/api/v1/events/{slug}/sessions",
    "/api/v1/events/{slug}/sessions/{guid}",
]


def _record_requests(app: Flask, into: list[str]) -> Callable[..., None]:
    """Append the path of every request that reaches ``app``'s Flask to ``into``; returns
    the receiver (to disconnect it)."""

    def started(sender: Flask, **extra: object) -> None:
        from flask import request

        into.append(request.path)

    request_started.connect(started, app, weak=False)
    return started


@pytest.fixture
def flask_runs(app: Flask) -> Iterator[list[str]]:
    """Paths of the requests that reached Flask."""
    seen: list[str] = []
    receiver = _record_requests(app, seen)
    yield seen
    request_started.disconnect(receiver, app)


def _cache(app: Flask) -> ResponseCache:
    return app.extensions["podium_response_cache"]


def _raw_execute(database_url: str, sql: str) -> None:
    """Write through a connection of no SQLAlchemy engine (another program, psql)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(str(url.database)) as connection:
            connection.execute(sql)
        return
    import psycopg

    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


@pytest.mark.parametrize("template", URLS)
def test_a_repeated_anonymous_request_is_replayed_without_flask_or_query(
    app: Flask, flask_runs: list[str], template: str
) -> None:
    url = template.format(**build("hot", 4, 2))
    client = app.test_client()
    first = client.get(url)
    revalidated = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    flask_runs.clear()

    with count_queries() as statements:
        again = client.get(url)
        revalidated_again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})

    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data()
    assert sorted(again.headers.items()) == sorted(first.headers.items())
    assert revalidated.status_code == revalidated_again.status_code == 304
    assert sorted(revalidated_again.headers.items()) == sorted(revalidated.headers.items())
    assert flask_runs == []
    assert statements.statements == []


def test_gzip_and_languages_are_separate_variants(app: Flask, flask_runs: list[str]) -> None:
    url = "/{slug}/schedule/list".format(**build("hot", 4, 2))
    client = app.test_client()
    variants = [{}, {"Accept-Encoding": "gzip"}, {"Accept-Language": "de"}]
    french = app.test_client()
    french.set_cookie("podium_language", "fr")
    first = [client.get(url, headers=h) for h in variants] + [french.get(url)]
    second = [client.get(url, headers=h) for h in variants] + [french.get(url)]

    assert [r.get_data() for r in second] == [r.get_data() for r in first]
    assert len({r.get_data() for r in first}) == 4
    assert second[1].headers["Content-Encoding"] == "gzip"
    assert second[2].headers["Content-Language"] == "de"
    assert second[3].headers["Content-Language"] == "fr"
    assert len(flask_runs) == 4  # only the first round


@pytest.mark.parametrize(
    ("method", "headers", "cookies"),
    [
        ("GET", {}, {"session": "abc"}),
        ("GET", {}, {"podium_language": "de", "remember_token": "x"}),
        ("GET", {"Authorization": "Bearer nothing"}, {}),
        ("GET", {"Range": "bytes=0-10"}, {}),
        ("HEAD", {}, {}),
    ],
)
def test_requests_that_may_differ_per_visitor_always_reach_flask(
    app: Flask,
    flask_runs: list[str],
    method: str,
    headers: dict[str, str],
    cookies: dict[str, str],
) -> None:
    url = "/{slug}/schedule.xml".format(**build("hot", 4, 2))
    app.test_client().get(url)  # stored for anonymous visitors
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    flask_runs.clear()

    for _ in range(2):
        client.open(url, method=method, headers=headers)

    assert len(flask_runs) == 2


def test_a_private_event_is_never_stored(app: Flask, flask_runs: list[str]) -> None:
    values = build("hot", 4, 2)
    db.session.execute(text("UPDATE events SET is_public = false WHERE slug = 'hot'"))
    db.session.commit()
    client = app.test_client()

    assert client.get(f"/{values['slug']}/schedule.xml").status_code == 404
    assert client.get(f"/{values['slug']}/schedule.xml").status_code == 404
    assert len(flask_runs) == 2
    assert len(_cache(app).store) == 0


def test_a_release_published_in_this_process_is_served_next(app: Flask) -> None:
    values = build("hot", 4, 2)
    client = app.test_client()
    url = f"/{values['slug']}/schedule.xml"
    assert "<version>2</version>" in client.get(url).get_data(as_text=True)
    assert "<version>2</version>" in client.get(url).get_data(as_text=True)

    event_row = db.session.query(Event).filter_by(slug=values["slug"]).one()
    services.publish_release(event=event_row, actor=None, allow_unchanged=True)

    assert "<version>3</version>" in client.get(url).get_data(as_text=True)


def test_a_release_published_by_another_app_is_served_next(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    values = build("hot", 4, 2)
    client = app.test_client()
    url = f"/api/v1/events/{values['slug']}/sessions"
    first = client.get(url)
    assert client.get(url).json["release"]["version"] == 2  # type: ignore[index]
    event_id = db.session.query(Event.id).filter_by(slug=values["slug"]).scalar()

    other = create_app(base_test_config(database_url, tmp_path / "other"))
    with other.app_context():
        try:
            services.publish_release(
                event=db.session.get(Event, event_id), actor=None, allow_unchanged=True
            )
        finally:
            db.session.remove()
            db.engine.dispose()

    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert again.json["release"]["version"] == 3  # type: ignore[index]


def test_a_write_by_another_program_is_served_next(
    app: Flask, flask_runs: list[str], database_url: str
) -> None:
    """Made private with psql (no SQLAlchemy, no Podium): gone on the very next request;
    public again: back on the next."""
    values = build("hot", 4, 2)
    client = app.test_client()
    url = f"/{values['slug']}/sessions/{values['guid']}"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200

    _raw_execute(database_url, "UPDATE events SET is_public = false WHERE slug = 'hot'")
    assert client.get(url).status_code == 404

    _raw_execute(database_url, "UPDATE events SET is_public = true WHERE slug = 'hot'")
    assert client.get(url).status_code == 200


@pytest.mark.backend("postgresql")
def test_without_the_listening_connection_every_request_reaches_flask(
    app: Flask, flask_runs: list[str], database_url: str
) -> None:
    """The server dropped the LISTEN connection (a restart): nothing is replayed, no change is
    missed, and replaying resumes once a new connection listens."""
    values = build("hot", 4, 2)
    client = app.test_client()
    url = f"/{values['slug']}/schedule.xml"
    client.get(url)
    signal = _cache(app).signal
    assert isinstance(signal, PostgresChangeSignal)
    signal.retry_seconds = 3600.0
    db.session.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'podium program changes' AND datname = current_database()"
        )
    )
    db.session.commit()
    _raw_execute(database_url, "UPDATE events SET is_public = false WHERE slug = 'hot'")
    flask_runs.clear()

    assert client.get(url).status_code == 404
    _raw_execute(database_url, "UPDATE events SET is_public = true WHERE slug = 'hot'")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert len(flask_runs) == 3

    signal.retry_seconds = 0.0
    signal.reconnect_now()
    client.get(url)
    flask_runs.clear()
    client.get(url)
    assert flask_runs == []


@pytest.mark.backend("postgresql")
def test_without_the_triggers_nothing_is_replayed(
    app: Flask, flask_runs: list[str], database_url: str, tmp_path: Path
) -> None:
    """A database whose triggers are missing (migrations not run): correct, just slower."""
    values = build("hot", 4, 2)
    db.session.execute(text("DROP TRIGGER podium_events_changed ON events"))
    db.session.commit()
    try:
        fresh = create_app(base_test_config(database_url, tmp_path / "fresh"))
        assert fresh.extensions["podium_response_cache"].signal.token() is None
        _record_requests(fresh, flask_runs)
        client = fresh.test_client()
        for _ in range(3):
            assert client.get(f"/{values['slug']}/schedule.xml").status_code == 200
        assert len(flask_runs) == 3
        with fresh.app_context():
            db.engine.dispose()
    finally:
        db.session.execute(
            text(
                "CREATE TRIGGER podium_events_changed AFTER INSERT OR UPDATE OR DELETE OR "
                "TRUNCATE ON events FOR EACH STATEMENT "
                "EXECUTE FUNCTION podium_notify_program_changed()"
            )
        )
        db.session.commit()


@pytest.mark.backend("postgresql")
def test_disposing_the_app_closes_its_listening_connection(app: Flask) -> None:
    values = build("hot", 4, 2)
    app.test_client().get(f"/{values['slug']}/schedule.xml")

    def listeners() -> int:
        return db.session.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND query = :listen"
            ),
            {"listen": f"LISTEN {CHANNEL}"},
        ).scalar_one()

    assert listeners() == 1
    db.session.remove()
    db.engine.dispose()
    assert listeners() == 0


@pytest.mark.backend("postgresql")
def test_an_app_used_after_its_engine_was_disposed_listens_again(
    app: Flask, flask_runs: list[str]
) -> None:
    """Disposing resets pools (after a fork, for instance); it must not end replaying."""
    url = "/{slug}/schedule.xml".format(**build("hot", 4, 2))
    client = app.test_client()
    client.get(url)
    db.session.remove()
    db.engine.dispose()
    flask_runs.clear()

    client.get(url)
    client.get(url)

    assert len(flask_runs) == 1


def test_without_a_database_file_nothing_is_created(tmp_path: Path) -> None:
    from podium.program.changes import SqliteChangeSignal

    missing = tmp_path / "missing.db"
    assert SqliteChangeSignal(str(missing)).token() is None
    assert not missing.exists()


def test_the_cache_can_be_switched_off(database_url: str, tmp_path: Path) -> None:
    config = base_test_config(database_url, tmp_path / "i")
    config["PROGRAM_RESPONSE_CACHE"] = False
    off = create_app(config)
    assert "podium_response_cache" not in off.extensions
    with off.app_context():
        db.engine.dispose()
