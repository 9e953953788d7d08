"""Benchmark: parse and import FOSDEM 2025's schedule.xml (943 sessions, 40 rooms).

Prints wall and CPU times for parsing, a first import into an empty database, and a re-import
of the same file (the idempotent path). SQLite in a temporary folder by default; pass
``--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres`` to measure PostgreSQL in a
temporary database created (and dropped) on that server.

    .venv/bin/python bench/bench_import.py [--postgres SERVER_URL] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FOSDEM = ROOT / "tests" / "fixtures" / "schedules" / "xml" / "fosdem-2025.schedule.xml"


def _timed(action: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = action()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="PostgreSQL server URL (default: temporary SQLite)")
    parser.add_argument("--repeat", type=int, default=5, help="parse repetitions")
    args = parser.parse_args()

    from podium import create_app
    from podium.exchange.frab_xml import parse_frab_xml
    from podium.exchange.services import import_schedule
    from podium.extensions import db

    raw = FOSDEM.read_bytes()
    parses = [_timed(lambda: parse_frab_xml(raw)) for _ in range(args.repeat)]
    data = parses[-1][2]
    print(f"input: {FOSDEM.name}, {len(raw) / 1e6:.1f} MB, {len(data.sessions)} sessions")
    print(
        f"parse:     median {statistics.median(p[0] for p in parses) * 1000:7.1f} ms wall, "
        f"{statistics.median(p[1] for p in parses) * 1000:7.1f} ms CPU ({args.repeat} runs)"
    )

    with tempfile.TemporaryDirectory() as folder:
        url = _create_database(args.postgres) if args.postgres else f"sqlite:///{folder}/bench.db"
        app = create_app(
            {
                "DATABASE_URL": url,
                "INSTANCE_PATH": str(Path(folder) / "instance"),
                "SECRET_KEY": "bench-secret-key-0123456789abcdef",
                "TESTING": True,
            }
        )
        with app.app_context():
            db.create_all()
            for label in ("import", "re-import"):
                db.session.remove()  # a fresh session, as a new CLI run would have
                wall, cpu, result = _timed(
                    lambda: import_schedule(data=parse_frab_xml(raw), event_slug=None, actor=None)
                )
                print(
                    f"{label + ':':10s} {wall * 1000:7.0f} ms wall, {cpu * 1000:7.0f} ms CPU "
                    f"(parse included) - {result.summary()}"
                )
            db.session.remove()
            db.engine.dispose()
        if args.postgres:
            _drop_database(args.postgres, url)
    print(f"database: {url.split(':')[0]}")


def _create_database(server_url: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"podium_bench_{os.getpid()}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _drop_database(server_url: str, url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


if __name__ == "__main__":
    main()
