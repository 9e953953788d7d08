"""Benchmark: the fixed CPU and database cost of one cached public request, in-process.

Sets up FOSDEM 2025 (943 sessions) on SQLite and, when ``--postgres URL`` names a server, on
a fresh PostgreSQL database of that server (dropped afterwards). Then, with the Flask test
client, serves each URL once (filling the per-release cache) and measures ``--requests`` more:
CPU microseconds per request (``time.process_time``, so other jobs on the machine do not
count), SQL statements per request, and, on PostgreSQL, database round trips per request,
counted exactly from libpq's protocol trace (every simple ``Query`` and every
extended-protocol ``Sync`` the client sends, which includes ``BEGIN``/``ROLLBACK`` and the
pool's pre-ping). SQLite has no server, hence no round trips.

    .venv/bin/python bench/bench_request_overhead.py [--requests 2000]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--profile URL-NAME]

Figures on the 2-core machine (shared with a test run, so ±15 %), CPU µs / SQL statements
per cached request, and PostgreSQL round trips; "before" is d4acda6 (head query through the
ORM session on the pre-pinged engine, Flask-Limiter's search on every request), "after" the
head query on the autocommit reader without pre-ping, no limiter work on public reads:

                          SQLite before  after     PostgreSQL before    after
      session page        1250 / 1       923 / 1   2164 / 1 / 4         1107 / 1 / 1
      session page, 304   1222 / 1       998 / 1   1719 / 1 / 4         1135 / 1 / 1
      schedule.xml        1032 / 1       863 / 1   2021 / 1 / 4         1058 / 1 / 1
      schedule.xml, 304   1156 / 1       912 / 1   1681 / 1 / 4         1117 / 1 / 1
      API: one session    1778 / 1      1016 / 1   1955 / 1 / 4         1444 / 1 / 1

With the response cache in front of Flask (podium.program.response_cache, on by default)
a repeated request runs no statement and no round trip at all; on a slower machine than the
figures above (the same code before it measured 1743 / 2700 µs for the session page):

                          SQLite          PostgreSQL
      session page        308 / 0         312 / 0 / 0
      session page, 304   313 / 0         300 / 0 / 0
      schedule.xml        286 / 0         268 / 0 / 0
      schedule.xml, 304   298 / 0         284 / 0 / 0
      API: one session    305 / 0         270 / 0 / 0

The four PostgreSQL round trips were BEGIN + the pre-ping, the query, and ROLLBACK. The
test client itself costs a few hundred µs of each figure; gunicorn does not. To measure the
old code side by side: ``git archive <rev> src migrations | tar -x -C /tmp/old`` and run
this file with ``PYTHONPATH=/tmp/old/src``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fosdem_bench import scratch_postgres_database

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
FOSDEM = ROOT / "tests" / "fixtures" / "schedules" / "xml" / "fosdem-2025.schedule.xml"
SLUG = "fosdem-2025"


def environment(folder: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    env.update(
        {
            "PODIUM_INSTANCE_PATH": str(folder / "instance"),
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(32),
            "PODIUM_ENV_FILE": os.devnull,
            "PODIUM_BASE_URL": "http://127.0.0.1",
        }
    )
    return env


def prepare(env: dict[str, str]) -> None:
    """Migrate, import FOSDEM through the CLI and publish one release."""
    podium = str(VENV_BIN / "podium")
    run = {"env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([podium, "db", "upgrade"], **run)  # type: ignore[call-overload]
    subprocess.run(  # type: ignore[call-overload]
        [podium, "import-schedule", str(FOSDEM), "--public", "--publish"], **run
    )


class RoundTrips:
    """Counts client→server exchanges of every PostgreSQL connection from libpq's trace."""

    _MESSAGE = re.compile(r"^F\t\d+\t(Query|Sync)\b", re.MULTILINE)

    def __init__(self, engine, folder: Path, number: int) -> None:  # type: ignore[no-untyped-def]
        from sqlalchemy import event

        self.files: list[Path] = []
        self.folder = folder
        self.number = number
        self.enabled = engine.dialect.name == "postgresql"
        if self.enabled:
            event.listen(engine, "connect", self._trace)
            engine.dispose()  # pooled connections opened before this must be traced too

    def _trace(self, dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        from psycopg import pq

        path = self.folder / f"trace-{self.number}-{len(self.files)}.txt"
        self.files.append(path)
        handle = open(path, "w")  # noqa: SIM115  lives as long as the connection
        pgconn = dbapi_connection.pgconn
        pgconn.trace(handle.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        dbapi_connection._bench_trace = handle

    def count(self) -> int:
        if not self.enabled:
            return 0
        return sum(len(self._MESSAGE.findall(path.read_text())) for path in self.files)


def measure(env: dict[str, str], folder: Path, requests: int, profile: str | None) -> None:
    """In-process figures per URL; see the module docstring."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        from sqlalchemy import event

        from podium import create_app
        from podium.extensions import db

        app = create_app()
        with app.app_context():
            engine = db.engine
            # Every engine of the app: the session's, and the reader of the hot path when the
            # app has one (podium.database.install_reader).
            engines = [engine, *[e for k, e in app.extensions.items() if k.endswith("_engine")]]
            statements: list[str] = []
            trips = []
            for each in engines:
                event.listen(each, "before_cursor_execute", lambda *a: statements.append(a[2]))
                trips.append(RoundTrips(each, folder, len(trips)))
        client = app.test_client()
        page = client.get(f"/{SLUG}/schedule/list").get_data(as_text=True)
        guid = re.search(rf"/{SLUG}/sessions/([0-9a-f-]{{36}})", page).group(1)  # type: ignore[union-attr]
        session_url = f"/{SLUG}/sessions/{guid}"
        etag = client.get(session_url).headers["ETag"]
        xml_etag = client.get(f"/{SLUG}/schedule.xml").headers["ETag"]
        cases = {
            "session page": (session_url, {}),
            "session page, 304": (session_url, {"If-None-Match": etag}),
            "schedule.xml": (f"/{SLUG}/schedule.xml", {}),
            "schedule.xml, 304": (f"/{SLUG}/schedule.xml", {"If-None-Match": xml_etag}),
            "API: one session": (f"/api/v1/events/{SLUG}/sessions/{guid}", {}),
        }
        print(f"\n{engine.dialect.name}: {requests} cached requests per URL, in-process")
        print(f"  {'url':24} {'status':>6} {'bytes':>8} {'CPU µs':>8} {'SQL':>5} {'trips':>6}")
        for name, (url, headers) in cases.items():
            first = client.get(url, headers=headers)
            expected = 304 if "If-None-Match" in headers else 200
            assert first.status_code == expected, (url, first.status_code)
            for _ in range(50):  # warm up
                client.get(url, headers=headers)
            statements.clear()
            before = sum(t.count() for t in trips)
            profiler = cProfile.Profile() if profile == name else None
            cpu = time.process_time()
            if profiler:
                profiler.enable()
            for _ in range(requests):
                client.get(url, headers=headers)
            if profiler:
                profiler.disable()
            used = (time.process_time() - cpu) / requests * 1e6
            sql = len(statements) / requests
            trip = (
                f"{(sum(t.count() for t in trips) - before) / requests:6.1f}"
                if trips[0].enabled
                else f"{'-':>6}"
            )
            print(
                f"  {name:24} {first.status_code:6d} {len(first.data):8d} {used:8.0f} "
                f"{sql:5.1f} {trip}"
            )
            if profiler:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        with app.app_context():
            db.engine.dispose()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        for module in [m for m in sys.modules if m == "podium" or m.startswith("podium.")]:
            del sys.modules[module]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--postgres", default="", help="a PostgreSQL server URL (optional)")
    parser.add_argument("--profile", default=None, help="print a cProfile of this URL's name")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="podium-bench-overhead-"))
    try:
        with contextlib.ExitStack() as scratch:
            targets = []
            if args.only != "postgresql":
                targets.append(f"sqlite:///{folder / 'podium.db'}")
            if args.postgres and args.only != "sqlite":
                targets.append(scratch.enter_context(scratch_postgres_database(args.postgres)))
            for url in targets:
                env = environment(folder, url)
                prepare(env)
                measure(env, folder, args.requests, args.profile)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
