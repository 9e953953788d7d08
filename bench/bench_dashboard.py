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
from typing import Any

from fosdem_bench import fosdem_event, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from sqlalchemy import event as sa_event

    from podium.events.dashboard import build_dashboard
    from podium.extensions import db
    from podium.schedule.queries import event_conflicts
    from podium.schedule.services import publish_release, unchanged_release

    with fosdem_event() as (_app, event, sessions):
        publish_release(event=event, actor=None, allow_unchanged=True)
        print(f"event: {event.slug}, {sessions} sessions, release 1 published")
        for label, action in (
            ("unchanged_release", lambda: unchanged_release(event)),
            ("event_conflicts", lambda: event_conflicts(event)),
            ("build_dashboard", lambda: build_dashboard(event)),
        ):
            db.session.expire_all()
            cold = timed(action)
            warm = [timed(action) for _ in range(args.repeat)]
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


if __name__ == "__main__":
    main()
