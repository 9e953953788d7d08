"""Benchmark: full conflict check versus the incremental one after a move, FOSDEM 2025.

The editor must save a move in under 50 ms server CPU with its conflicts recomputed for the
affected slots only. This loads FOSDEM 2025 (943 sessions, ~40 rooms) from its frab XML as
``bench/bench_exports.py`` does, turns it into ``SlotInfo`` rows (plus one lunch break in
every room per day, so the block rule has work), and prints the median CPU time of
``find_conflicts`` over everything against ``conflicts_affected_by`` + ``replace_conflicts``
for one moved slot, checking both give the same conflicts.

    .venv/bin/python bench/bench_conflicts.py [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FOSDEM = ROOT / "tests" / "fixtures" / "schedules" / "xml" / "fosdem-2025.schedule.xml"


def _cpu_ms(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.process_time()
        result = action()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from podium.exchange.frab_xml import parse_frab_xml
    from podium.schedule.conflicts import (
        SlotInfo,
        conflicts_affected_by,
        event_bounds,
        find_conflicts,
        replace_conflicts,
    )

    data = parse_frab_xml(FOSDEM.read_bytes())
    conf = data.conference
    rooms = {room.name: number for number, room in enumerate(data.rooms, start=1)}
    people: dict[tuple[str, str], int] = {}
    slots = [
        SlotInfo(
            id=session.id,
            title=session.title,
            start=session.start_utc,
            end=session.start_utc + dt.timedelta(minutes=session.duration_minutes),
            room_id=rooms.get(session.room),
            room_name=session.room,
            state="confirmed",
            speakers=tuple(
                (people.setdefault(p.key, len(people) + 1), p.name) for p in session.persons
            ),
        )
        for session in data.sessions
    ]
    next_id = max(s.id for s in slots) + 1
    for day in data.days():
        lunch = day.start_utc.replace(hour=11, minute=0)
        slots.append(
            SlotInfo(next_id, "Lunch", lunch, lunch + dt.timedelta(minutes=30), room_id=None)
        )
        next_id += 1
    bounds = event_bounds(conf.start_date, conf.end_date, conf.time_zone, 0)
    print(f"{len(slots)} slots ({len(data.sessions)} sessions) in {len(rooms)} rooms")

    full_ms, before = _cpu_ms(lambda: find_conflicts(slots, bounds=bounds), args.repeat)
    print(f"full check:           {full_ms:7.2f} ms CPU median ({len(before)} conflicts)")

    rng = random.Random(2025)  # noqa: S311  reproducible choice of moved slots, not security
    samples = []
    for _ in range(args.repeat):
        index = rng.randrange(len(data.sessions))
        old = slots[index]
        shift = dt.timedelta(minutes=rng.choice((-60, -30, 30, 60)))
        moved = list(slots)
        moved[index] = SlotInfo(
            old.id, old.title, old.start + shift, old.end + shift, old.room_id,
            old.room_name, old.state, old.speakers,
        )  # fmt: skip

        def incremental(moved: list[SlotInfo] = moved, changed: int = old.id) -> list[Any]:
            fresh = conflicts_affected_by(moved, {changed}, bounds=bounds)
            return replace_conflicts(before, {changed}, fresh)

        cpu, after = _cpu_ms(incremental, 1)
        samples.append(cpu)
        expected = find_conflicts(moved, bounds=bounds)
        assert sorted(map(repr, after)) == sorted(map(repr, expected)), "incremental differs"
    print(
        f"incremental (1 move): {statistics.median(samples):7.2f} ms CPU median, "
        f"{max(samples):.2f} ms max over {len(samples)} random moves (same conflicts as full)"
    )


if __name__ == "__main__":
    main()
