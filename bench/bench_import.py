"""Benchmark: parse and import FOSDEM 2025's schedule.xml (943 sessions, 40 rooms).

Prints wall and CPU times for parsing, a first import into an empty database, and a re-import
of the same file (the idempotent path). SQLite in a temporary folder by default; pass
``--database-url postgresql+psycopg://...`` (an empty database) to measure PostgreSQL.

    .venv/bin/python bench/bench_import.py [--database-url URL] [--repeat N]
"""

from __future__ import annotations

import argparse
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
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
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
        url = args.database_url or f"sqlite:///{folder}/bench.db"
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
                wall, cpu, result = _timed(
                    lambda: import_schedule(data=parse_frab_xml(raw), event_slug=None, actor=None)
                )
                print(
                    f"{label + ':':10s} {wall * 1000:7.0f} ms wall, {cpu * 1000:7.0f} ms CPU "
                    f"(parse included) - {result.summary()}"
                )
            db.session.remove()
            if args.database_url:
                db.drop_all()
            db.engine.dispose()
    print(f"database: {url.split(':')[0]}")


if __name__ == "__main__":
    main()
