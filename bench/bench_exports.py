"""Benchmark: render FOSDEM 2025 (943 sessions) in every export format.

A schedule release stores ``ScheduleData.to_dict()`` as JSON; an export request turns that
snapshot back into ``ScheduleData`` and runs a writer. This prints, per format, the CPU time
of the first (cold) render in a fresh process and the median of further renders, with and
without rebuilding ``ScheduleData`` from the snapshot, plus the output size. Target: a cold
render well under 300 ms CPU.

    .venv/bin/python bench/bench_exports.py [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOSDEM = ROOT / "tests" / "fixtures" / "schedules" / "xml" / "fosdem-2025.schedule.xml"
STAMP = dt.datetime(2025, 1, 31, 12, 0, tzinfo=dt.UTC)


def _cpu(action: Callable[[], bytes]) -> tuple[float, bytes]:
    start = time.process_time()
    output = action()
    return time.process_time() - start, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    from podium.exchange.frab_xml import parse_frab_xml, write_frab_xml
    from podium.exchange.ical import write_ical_program, write_ical_session
    from podium.exchange.schedule_data import ScheduleData
    from podium.exchange.schedule_json import write_schedule_json

    snapshot = json.loads(json.dumps(parse_frab_xml(FOSDEM.read_bytes()).to_dict()))
    first_guid = snapshot["sessions"][0]["guid"]
    writers: dict[str, Callable[[ScheduleData], bytes]] = {
        "schedule.xml": write_frab_xml,
        "schedule.json": write_schedule_json,
        "program.ics": lambda data: write_ical_program(data, stamp=STAMP),
        "session.ics": lambda data: write_ical_session(data, first_guid, stamp=STAMP),
    }
    start = time.process_time()
    data = ScheduleData.from_dict(snapshot)
    cpu = time.process_time() - start
    print(f"snapshot -> ScheduleData: {cpu * 1000:6.1f} ms CPU ({len(data.sessions)} sessions)")
    print(f"{'format':14s} {'cold':>9s} {'warm median':>12s} {'with snapshot':>14s} {'size':>9s}")
    for name, writer in writers.items():
        cold, output = _cpu(lambda w=writer: w(data))
        warm = [_cpu(lambda w=writer: w(data))[0] for _ in range(args.repeat)]
        full = [
            _cpu(lambda w=writer: w(ScheduleData.from_dict(snapshot)))[0]
            for _ in range(args.repeat)
        ]
        print(
            f"{name:14s} {cold * 1000:6.1f} ms {statistics.median(warm) * 1000:9.1f} ms "
            f"{statistics.median(full) * 1000:11.1f} ms {len(output) / 1e6:7.2f} MB"
        )


if __name__ == "__main__":
    main()
