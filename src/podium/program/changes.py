"""Knowing, without a query per request, whether the public program may have changed.

The public program and the API render from two tables only: ``events`` and
``schedule_releases`` (a release's snapshot never changes). :func:`change_signal` gives an
application a :class:`ChangeSignal` whose :meth:`~ChangeSignal.token` changes whenever any
process may have written to them:

- **PostgreSQL**: statement-level triggers on both tables send ``NOTIFY`` on the channel
  :data:`CHANNEL` (installed by ``create_all`` and by migration ``pn17a1b2c3d4``); each web
  process keeps one connection that ``LISTEN``\\ s and, per request, only asks the kernel
  whether that socket has something to read (about 2 µs, no round trip). The writer's
  backend signals every listening backend while it commits, before its ``COMMIT`` returns;
  each passes the notification on as soon as it runs (in a probe here the socket was
  readable the moment the writer's ``COMMIT`` returned). A publish therefore shows on the
  next request unless a listening backend was kept off the CPU for longer than that request
  took to arrive. Commits of this process's own ORM sessions count at once.
  While that connection is down or the triggers are missing, the token is None.
- **SQLite**: ``PRAGMA data_version`` on a per-thread connection of the same file, which
  changes whenever another connection commits anything (about 2 µs).

A None token means "unknown": callers must then read the database as usual.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import sqlite3
import threading
import time
from collections.abc import Hashable
from typing import Any

from sqlalchemy import DDL, Engine, Table, event

log = logging.getLogger(__name__)

CHANNEL = "podium_program_changed"
NOTIFY_FUNCTION = "podium_notify_program_changed"
TRIGGER_NAMES = ("podium_events_changed", "podium_schedule_releases_changed")
RETRY_SECONDS = 5.0

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {NOTIFY_FUNCTION}() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def trigger_sql(table: str, trigger: str) -> str:
    """``CREATE TRIGGER`` for ``table``: one notification per writing statement (PostgreSQL
    folds equal notifications of one transaction into one)."""
    return (
        f"CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {NOTIFY_FUNCTION}()"
    )


def register_change_triggers(events: Table, releases: Table) -> None:
    """Have ``metadata.create_all`` install the triggers on PostgreSQL (tests build their
    schema that way; deployments get them from the migration)."""
    function = DDL(FUNCTION_SQL).execute_if(dialect="postgresql")
    event.listen(events, "after_create", function)
    for table, trigger in zip((events, releases), TRIGGER_NAMES, strict=True):
        ddl = DDL(trigger_sql(table.name, trigger)).execute_if(dialect="postgresql")
        event.listen(table, "after_create", ddl)


class ChangeSignal:
    """A cheap token that changes whenever the program's tables may have changed.

    ``token()`` returns a hashable value, or None when this process cannot tell (then every
    request must read the database). Safe to call from several threads.
    """

    def token(self) -> Hashable | None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        """Close the connections this signal holds (the application is being disposed)."""


class SqliteChangeSignal(ChangeSignal):
    """``PRAGMA data_version`` of the database file at ``path``, one connection per thread.

    The connection is opened read-write without creating the file (a missing database must
    not turn into an empty one) and never writes.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def token(self) -> Hashable | None:
        connection = getattr(self._local, "connection", None)
        try:
            if connection is None or self._local.pid != os.getpid():
                connection = self._open()
            (version,) = connection.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            self._local.connection = None
            return None
        return (id(connection), version)

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            f"file:{self._path}?mode=rw", uri=True, check_same_thread=False
        )
        with self._lock:
            self._opened.append(connection)
        self._local.connection = connection
        self._local.pid = os.getpid()
        return connection

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for connection in opened:
            connection.close()


class PostgresChangeSignal(ChangeSignal):
    """Counts notifications on :data:`CHANNEL` through one ``LISTEN`` connection per process.

    The token is ``(epoch, notifications, local commits)``; ``epoch`` grows with every new
    connection, because notifications sent while none was listening are lost. A failed
    connection is retried at most every ``retry_seconds``; until then the token is None.
    """

    def __init__(self, conninfo: str, retry_seconds: float = RETRY_SECONDS) -> None:
        self._conninfo = conninfo
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._connection: Any = None
        self._pid = 0
        self._epoch = 0
        self._count = 0
        self._retry_at = 0.0

    def token(self) -> Hashable | None:
        connection = self._connection
        if connection is None or self._pid != os.getpid():
            connection = self._connect()
            if connection is None:
                return None
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
            if readable:
                with self._lock:
                    self._count += sum(1 for _ in connection.notifies(timeout=0))
        except Exception:  # the server went away, or closed this connection
            self._drop(connection)
            return None
        return (self._epoch, self._count, local_commits())

    def _connect(self) -> Any:
        with self._lock:
            if self._connection is not None and self._pid == os.getpid():
                return self._connection
            self._connection = None  # a connection inherited across fork() is not ours
            if time.monotonic() < self._retry_at:
                return None
            self._retry_at = time.monotonic() + self.retry_seconds
            try:
                connection = self._listen()
            except Exception as exc:
                log.warning("program change notifications unavailable: %s", str(exc)[:200])
                return None
            if connection is None:
                return None
            self._connection, self._pid = connection, os.getpid()
            self._epoch += 1
            return connection

    def reconnect_now(self) -> None:
        """Let the next :meth:`token` try to connect at once (after an outage is over)."""
        with self._lock:
            self._retry_at = 0.0

    def _listen(self) -> Any:
        import psycopg

        connection = psycopg.connect(
            self._conninfo,
            autocommit=True,
            connect_timeout=5,
            application_name="podium program changes",
            # A listener cut off without a FIN (a network partition) would wait forever while
            # other replicas publish: TCP keepalives end it within about 11 s, after which this
            # process reads the database on every request until it listens again.
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=2,
            keepalives_count=3,
        )
        found = connection.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = ANY(%s) AND NOT tgisinternal",
            (list(TRIGGER_NAMES),),
        ).fetchone()
        if not found or found[0] < len(TRIGGER_NAMES):
            # Without the triggers nobody would notify: reading the database every time is
            # the only correct answer (run `podium db upgrade`).
            connection.close()
            return None
        connection.execute(f"LISTEN {CHANNEL}")
        return connection

    def _drop(self, connection: Any) -> None:
        with self._lock:
            if self._connection is connection:
                self._connection = None
        with contextlib.suppress(Exception):  # already broken; closing is best effort
            connection.close()

    def close(self) -> None:
        # An engine is also disposed to reset its pool (after a fork, in tests); an
        # application used afterwards listens again on its next request.
        with self._lock:
            connection, self._connection = self._connection, None
            self._retry_at = 0.0
        if connection is not None:
            connection.close()


_local_commits = 0


def local_commits() -> int:
    """How many ORM sessions of this process have committed (any table)."""
    return _local_commits


def _count_commit(_session: Any) -> None:
    global _local_commits
    _local_commits += 1


def change_signal(engine: Engine) -> ChangeSignal | None:
    """The signal for ``engine``'s database, or None (in-memory SQLite, other databases).

    It is closed when ``engine`` is disposed.
    """
    url = engine.url
    backend = url.get_backend_name()
    signal: ChangeSignal | None = None
    if backend == "sqlite" and url.database not in (None, "", ":memory:"):
        signal = SqliteChangeSignal(str(url.database))
    elif backend == "postgresql":
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        signal = PostgresChangeSignal(conninfo)
        # Our own commits are known at once, without waiting for the notification.
        from sqlalchemy.orm import Session

        if not event.contains(Session, "after_commit", _count_commit):
            event.listen(Session, "after_commit", _count_commit)
    if signal is not None:
        event.listen(engine, "engine_disposed", lambda _engine: signal.close())
    return signal
