"""Benchmark: parse FOSDEM 2025 in every import format, and import a 1,300-session merged file.

Part 1 writes FOSDEM 2025 (943 sessions) as schedule.xml, schedule JSON, schedule JSON v2 and
iCalendar, then times ``formats.parse_any`` (format detection included) on each.
Part 2 merges FOSDEM 2025, 39C3, 31C3 and RomHack Camp (1,306 sessions, the size of a
congress schedule merged with its sub-schedules) into one schedule.xml and times its parse
and its first import into an empty SQLite database. Prints wall and CPU milliseconds.

    .venv/bin/python bench/bench_import_formats.py [--repeat N]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
XML = ROOT / "tests" / "fixtures" / "schedules" / "xml"
STAMP = dt.datetime(2025, 1, 31, 12, 0, tzinfo=dt.UTC)


def _timed(action: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = action()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from podium import create_app
    from podium.exchange.formats import parse_any
    from podium.exchange.frab_xml import parse_frab_xml, write_frab_xml
    from podium.exchange.ical import write_ical_program
    from podium.exchange.schedule_json import write_schedule_json
    from podium.exchange.schedule_v2 import write_schedule_v2
    from podium.exchange.services import import_schedule
    from podium.extensions import db

    fosdem = parse_frab_xml((XML / "fosdem-2025.schedule.xml").read_bytes())
    files = {
        "schedule.xml": write_frab_xml(fosdem),
        "schedule.json": write_schedule_json(fosdem),
        "schedule-v2.json": write_schedule_v2(fosdem),
        "schedule.ics": write_ical_program(fosdem, stamp=STAMP),
    }
    for name, raw in files.items():
        zone = "Europe/Brussels" if name.endswith(".ics") else None
        runs = [_timed(lambda r=raw, z=zone: parse_any(r, time_zone=z)) for _ in range(args.repeat)]
        count = len(runs[-1][2].sessions)
        print(
            f"parse FOSDEM 2025 {name:17s} {len(raw) / 1e6:5.2f} MB, {count} sessions: "
            f"median {statistics.median(r[0] for r in runs) * 1000:7.0f} ms wall, "
            f"{statistics.median(r[1] for r in runs) * 1000:7.0f} ms CPU"
        )

    parts = [
        parse_frab_xml((XML / name).read_bytes())
        for name in ("39c3.schedule.xml", "31c3.schedule.xml", "romhack-camp-2026.schedule.xml")
    ]
    sessions = list(fosdem.sessions)
    for part in parts:
        # Onto FOSDEM's weekend, as sub-schedules of one event would be.
        shift = dt.timedelta(days=(fosdem.conference.start_date - part.conference.start_date).days)
        sessions += [
            dataclasses.replace(
                s, room=f"{part.conference.slug} {s.room}", start_utc=s.start_utc + shift
            )
            for s in part.sessions
        ]
    merged = fosdem.replace(sessions=tuple(sessions))
    raw = write_frab_xml(merged)
    wall, cpu, data = _timed(lambda: parse_any(raw))
    print(
        f"parse merged schedule.xml {len(raw) / 1e6:5.2f} MB, {len(data.sessions)} sessions: "
        f"{wall * 1000:7.0f} ms wall, {cpu * 1000:7.0f} ms CPU"
    )
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{folder}/bench.db",
                "INSTANCE_PATH": str(Path(folder) / "instance"),
                "SECRET_KEY": "bench-secret-key-0123456789abcdef",
                "TESTING": True,
            }
        )
        with app.app_context():
            db.create_all()
            wall, cpu, result = _timed(
                lambda: import_schedule(data=parse_any(raw), event_slug="merged", actor=None)
            )
            print(
                f"import merged (parse included): {wall * 1000:7.0f} ms wall, "
                f"{cpu * 1000:7.0f} ms CPU - {result.summary()}"
            )
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
