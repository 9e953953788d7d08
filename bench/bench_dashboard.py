"""Benchmark: the organizer dashboard of FOSDEM 2025 (943 sessions, 40 rooms).

The dashboard's "changes not yet published" line renders the working schedule as a release
snapshot and compares it with the latest release (``schedule.services.unchanged_release``);
its conflicts line loads every slot. This imports FOSDEM into a temporary SQLite database,
publishes release 1, and prints the CPU and wall time of ``unchanged_release``, of
``event_conflicts`` and of the whole ``build_dashboard`` (cold, then the median of warm runs),
with the number of SQL statements of one dashboard.

    .venv/bin/python bench/bench_dashboard.py [--repeat N]
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


def _timed(action: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from sqlalchemy import event as sa_event
    from sqlalchemy import select

    from podium import create_app
    from podium.events.dashboard import build_dashboard
    from podium.events.models import Event
    from podium.exchange.frab_xml import parse_frab_xml
    from podium.exchange.services import import_schedule
    from podium.extensions import db
    from podium.schedule.queries import event_conflicts
    from podium.schedule.services import publish_release, unchanged_release

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{folder}/bench.db",
                "INSTANCE_PATH": str(Path(folder) / "instance"),
                "SECRET_KEY": "bench-secret-key-0123456789abcdef",
                "BASE_URL": "https://podium.example.org",
                "TESTING": True,
            }
        )
        with app.app_context():
            db.create_all()
            result = import_schedule(
                data=parse_frab_xml(FOSDEM.read_bytes()), event_slug=None, actor=None
            )
            event = db.session.scalar(select(Event).where(Event.slug == result.event_slug))
            assert event is not None
            publish_release(event=event, actor=None, allow_unchanged=True)
            print(f"event: {event.slug}, {result.sessions_created} sessions, release 1 published")
            for label, action in (
                ("unchanged_release", lambda: unchanged_release(event)),
                ("event_conflicts", lambda: event_conflicts(event)),
                ("build_dashboard", lambda: build_dashboard(event)),
            ):
                db.session.expire_all()
                cold = _timed(action)
                warm = [_timed(action) for _ in range(args.repeat)]
                print(
                    f"{label:18s} cold {cold[0] * 1000:7.1f} ms wall {cold[1] * 1000:7.1f} ms CPU;"
                    f" warm median {statistics.median(w[0] for w in warm) * 1000:7.1f} ms wall"
                    f" {statistics.median(w[1] for w in warm) * 1000:7.1f} ms CPU"
                )
            statements: list[str] = []

            def record(*_: Any) -> None:
                statements.append("")

            sa_event.listen(db.engine, "before_cursor_execute", record)
            board = build_dashboard(event)
            sa_event.remove(db.engine, "before_cursor_execute", record)
            print(
                f"one dashboard: {len(statements)} SQL statements; schedule "
                f"{board.schedule_state}, {len(board.conflicts)} conflicts, "
                f"{len(board.unscheduled)} unscheduled"
            )
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
