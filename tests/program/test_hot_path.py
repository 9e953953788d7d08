"""The fixed cost of a cached public request that reaches Flask: one statement, on the
autocommit reader engine (no session, no transaction, no pre-ping), yet a release published by
any other process is served on the very next request, and a connection the server dropped is
replaced.

The response cache in front of Flask (tests/program/test_response_cache.py) answers most
such requests with no statement at all; it is off here, so these tests measure what every
request costs when it misses (after a change, or with a cookie)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, event, text

from podium import create_app
from podium.database import READER_KEY
from podium.events.models import Event
from podium.extensions import db
from podium.schedule import services
from tests.conftest import base_test_config
from tests.program.test_queries import build
from tests.support.queries import flask_path_config as app_config  # noqa: F401

# (name, url, revalidate with the ETag of the first answer)
CACHED = [
    ("session page", "/{slug}/sessions/{guid}", False),
    ("session page, 304", "/{slug}/sessions/{guid}", True),
    ("schedule.xml", "/{slug}/schedule.xml", False),
    ("schedule.xml, 304", "/{slug}/schedule.xml", True),
    ("API session", "/api/v1/events/{slug}/sessions/{guid}", False),
    ("API session, 304", "/api/v1/events/{slug}/sessions/{guid}", True),
]


def _reader(app: Flask) -> Engine:
    return app.extensions[READER_KEY]


def _listen(engine: Engine, into: list[str]) -> None:
    event.listen(engine, "before_cursor_execute", lambda *args: into.append(args[2]))


def _warm(app: Flask, url: str, revalidate: bool) -> dict[str, str]:
    client = app.test_client()
    first = client.get(url)
    assert first.status_code == 200, url
    headers = {"If-None-Match": first.headers["ETag"]} if revalidate else {}
    assert client.get(url, headers=headers).status_code == (304 if revalidate else 200)
    return headers


@pytest.mark.parametrize(("name", "url", "revalidate"), CACHED, ids=[c[0] for c in CACHED])
def test_cached_public_request_runs_one_statement_on_the_reader(
    app: Flask, name: str, url: str, revalidate: bool
) -> None:
    url = url.format(**build("hot", 4, 2))
    headers = _warm(app, url, revalidate)
    on_session: list[str] = []
    on_reader: list[str] = []
    _listen(db.engine, on_session)
    _listen(_reader(app), on_reader)

    response = app.test_client().get(url, headers=headers)

    assert response.status_code == (304 if revalidate else 200)
    assert on_session == []
    assert len(on_reader) == 1
    assert re.match(r"\s*SELECT .*\sFROM events ", on_reader[0], re.DOTALL), on_reader[0]


@pytest.mark.backend("postgresql")  # round trips are a PostgreSQL matter
def test_cached_public_request_is_one_round_trip_on_postgresql(app: Flask, tmp_path: Path) -> None:
    """No BEGIN, no pre-ping, no ROLLBACK, just the (prepared) head query: counted from
    libpq's protocol trace (every simple ``Query`` and extended-protocol ``Sync`` the client
    sends)."""
    from psycopg import pq

    values = build("hot", 4, 2)
    traces: list[Path] = []
    handles = []

    def trace(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        path = tmp_path / f"trace-{len(traces)}.txt"
        traces.append(path)
        handles.append(open(path, "w"))  # noqa: SIM115  closed once the connections are
        dbapi_connection.pgconn.trace(handles[-1].fileno())
        dbapi_connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)

    def trips() -> int:
        found = r"^F\t\d+\t(Query|Sync)\b"
        return sum(len(re.findall(found, p.read_text(), re.MULTILINE)) for p in traces)

    engines = (db.engine, _reader(app))
    for engine in engines:
        event.listen(engine, "connect", trace)
    db.session.remove()
    db.engine.dispose()  # also disposes the reader: every connection from here on is traced
    try:
        for url, revalidate in (
            ("/{slug}/sessions/{guid}", True),
            ("/{slug}/schedule.xml", False),
        ):
            headers = _warm(app, url.format(**values), revalidate)
            for _ in range(6):  # psycopg prepares a statement on its 5th run (one more trip)
                app.test_client().get(url.format(**values), headers=headers)
            before = trips()
            app.test_client().get(url.format(**values), headers=headers)
            assert trips() - before == 1, url
    finally:
        for engine in engines:
            event.remove(engine, "connect", trace)
        db.session.remove()
        db.engine.dispose()
        for handle in handles:
            handle.close()


def test_release_published_by_another_process_is_served_at_once(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    values = build("hot", 4, 2)
    client = app.test_client()
    first = client.get(f"/{values['slug']}/schedule.xml")
    api = client.get(f"/api/v1/events/{values['slug']}/sessions")
    event_id = db.session.query(Event.id).filter_by(slug=values["slug"]).scalar()

    # Another worker or replica: its own app, engines and caches on the same database.
    other = create_app(base_test_config(database_url, tmp_path / "other"))
    with other.app_context():
        try:
            services.publish_release(
                event=db.session.get(Event, event_id),
                actor=None,
                comment="Again",
                allow_unchanged=True,
            )
        finally:
            db.session.remove()
            db.engine.dispose()

    second = client.get(f"/{values['slug']}/schedule.xml")
    assert second.headers["ETag"] != first.headers["ETag"]
    assert "<version>3</version>" in second.get_data(as_text=True)
    revalidated = client.get(
        f"/api/v1/events/{values['slug']}/sessions", headers={"If-None-Match": api.headers["ETag"]}
    )
    assert revalidated.status_code == 200
    assert revalidated.json["release"]["version"] == 3  # type: ignore[index]


@pytest.mark.backend("postgresql")  # SQLite has no server to drop connections
def test_reader_replaces_a_connection_the_server_closed(app: Flask) -> None:
    """What ``pool_pre_ping`` did for the reader: after a server restart (here, its backends
    terminated) the next request is answered, not a 503."""
    values = build("hot", 4, 2)
    url = f"/{values['slug']}/schedule.xml"
    client = app.test_client()
    assert client.get(url).status_code == 200
    with _reader(app).connect() as connection:
        reader_pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    assert db.session.execute(
        text("SELECT pg_terminate_backend(:pid)"), {"pid": reader_pid}
    ).scalar()
    db.session.commit()

    response = client.get(url)

    assert response.status_code == 200
    with _reader(app).connect() as connection:
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != reader_pid
