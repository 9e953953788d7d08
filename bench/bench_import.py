"""Benchmark: parse and import FOSDEM 2025's schedule.xml (943 sessions, 40 rooms).

Prints wall and CPU times for parsing, a first import into an empty database, and a re-import
of the same file (the idempotent path); then the same for a merged file of about 1,300
sessions (FOSDEM 2025 + 39C3 + 31C3 moved onto FOSDEM's dates, every source numbering its
people from 1, as merged congress schedules do), built in memory from the fixtures.

SQLite in a temporary folder by default; pass
``--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres`` to measure PostgreSQL in a
temporary database created (and dropped) on that server.

    .venv/bin/python bench/bench_import.py [--postgres SERVER_URL] [--repeat N]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fosdem_bench import scratch_postgres_database

ROOT = Path(__file__).resolve().parents[1]
FOSDEM = ROOT / "tests" / "fixtures" / "schedules" / "xml" / "fosdem-2025.schedule.xml"
SUB_SCHEDULES = ("39c3.schedule.xml", "31c3.schedule.xml")


def _timed(action: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = action()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="PostgreSQL server URL (default: temporary SQLite)")
    parser.add_argument("--repeat", type=int, default=5, help="parse repetitions")
    args = parser.parse_args()

    from podium.exchange.frab_xml import parse_frab_xml

    raw = FOSDEM.read_bytes()
    parses = [_timed(lambda: parse_frab_xml(raw)) for _ in range(args.repeat)]
    data = parses[-1][2]
    print(f"input: {FOSDEM.name}, {len(raw) / 1e6:.1f} MB, {len(data.sessions)} sessions")
    print(
        f"parse:     median {statistics.median(p[0] for p in parses) * 1000:7.1f} ms wall, "
        f"{statistics.median(p[1] for p in parses) * 1000:7.1f} ms CPU ({args.repeat} runs)"
    )

    merged = merged_schedule()
    print(f"input: merged file, {len(merged) / 1e6:.1f} MB")
    # Each file into a database of its own, so neither import sees the other's sessions.
    for label, document in (("fosdem-2025", raw), ("merged", merged)):
        print(f"-- {label}")
        url = _import_into_new_database(document, label, args.postgres)
    print(f"database: {url.split(':')[0]}")


def _import_into_new_database(raw: bytes, slug: str, postgres: str | None) -> str:
    from podium import create_app
    from podium.extensions import db

    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as scratch:
        url = (
            scratch.enter_context(scratch_postgres_database(postgres))
            if postgres
            else f"sqlite:///{folder}/bench.db"
        )
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
            _imports(raw, slug)
            db.session.remove()
            db.engine.dispose()
    return url


def _imports(raw: bytes, slug: str) -> None:
    from podium.exchange.frab_xml import parse_frab_xml
    from podium.exchange.services import import_schedule
    from podium.extensions import db

    for label in ("import", "re-import"):
        db.session.remove()  # a fresh session, as a new CLI run would have
        wall, cpu, result = _timed(
            lambda: import_schedule(data=parse_frab_xml(raw), event_slug=slug, actor=None)
        )
        print(
            f"{label + ':':10s} {wall * 1000:7.0f} ms wall, {cpu * 1000:7.0f} ms CPU "
            f"(parse included) - {result.summary()}"
        )


def merged_schedule() -> bytes:
    """A merged schedule.xml of ~1,300 sessions with person ids reused for different people.

    FOSDEM 2025 plus the sub-schedules, each moved by whole days onto FOSDEM's first day;
    every source numbers its people 1, 2, ... in order of appearance, so the same id names
    different people in different sources.
    """
    import dataclasses
    import datetime as dt

    from podium.exchange.frab_xml import parse_frab_xml, write_frab_xml

    folder = FOSDEM.parent
    main = parse_frab_xml(FOSDEM.read_bytes())
    first_day = main.conference.start_date
    sessions = []
    rooms = list(main.rooms)
    last_day = main.conference.end_date
    for source in (main, *(parse_frab_xml((folder / n).read_bytes()) for n in SUB_SCHEDULES)):
        shift = dt.timedelta(days=(first_day - source.conference.start_date).days)
        numbers: dict[tuple[str, str], int] = {}
        for session in source.sessions:
            persons = tuple(
                dataclasses.replace(p, id=numbers.setdefault(p.key, len(numbers) + 1), guid=None)
                for p in session.persons
            )
            moved = dataclasses.replace(
                session, start_utc=session.start_utc + shift, persons=persons
            )
            sessions.append(moved)
            last_day = max(last_day, source.day_of(session) + shift)
        if source is not main:
            rooms.extend(r for r in source.rooms if r.name not in {x.name for x in rooms})
    conference = dataclasses.replace(main.conference, end_date=last_day)
    merged = main.replace(conference=conference, rooms=tuple(rooms), sessions=tuple(sessions))
    return write_frab_xml(merged)


if __name__ == "__main__":
    main()
