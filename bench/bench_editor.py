"""Benchmark: the visual schedule editor on FOSDEM 2025 (943 sessions, 40 rooms).

Imports FOSDEM into a temporary SQLite database, then through the test client as a site
administrator prints the server CPU time (and wall time) of: the grid page of the busier day
(cold, then the median of warm renders), one move saved through the JSON endpoint (with its
conflicts recomputed for the moved session's neighbourhood only), and, for comparison, the
whole-event conflict check the move avoids. Targets: grid < 300 ms CPU, move < 50 ms CPU.

    .venv/bin/python bench/bench_editor.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics

from fosdem_bench import fosdem_event, timed


def _line(label: str, cold: tuple[float, float], warm: list[tuple[float, float]]) -> str:
    return (
        f"{label:30s} cold {cold[1] * 1000:7.1f} ms CPU ({cold[0] * 1000:7.1f} ms wall); "
        f"warm median {statistics.median(w[1] for w in warm) * 1000:7.1f} ms CPU "
        f"({statistics.median(w[0] for w in warm) * 1000:7.1f} ms wall)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from sqlalchemy import func, select

    from podium.accounts.models import User
    from podium.events.models import Room
    from podium.extensions import db
    from podium.schedule import queries
    from podium.schedule.models import Slot

    with fosdem_event(WTF_CSRF_ENABLED=False) as (app, event, _sessions):
        admin = User(email="bench@example.org", name="Bench", is_admin=True)
        db.session.add(admin)
        db.session.commit()
        rows = queries.load_rows(event)
        days: dict[str, int] = {}
        for row in rows:
            day = queries.day_of(event, row.info.start).isoformat()
            days[day] = days.get(day, 0) + 1
        busiest = max(days, key=lambda d: days[d])
        rooms = db.session.scalar(select(func.count(Room.id)).where(Room.event_id == event.id))
        print(
            f"event {event.slug}: {len(rows)} slots in {rooms} rooms; "
            f"grid of {busiest} ({days[busiest]} slots)"
        )
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = admin.get_id()
            session["_fresh"] = True
        url = f"/orga/{event.slug}/schedule/grid?day={busiest}"

        def grid() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            grid.size = len(response.data)  # type: ignore[attr-defined]

        cold = timed(grid)
        print(_line("grid page (HTML)", cold, [timed(grid) for _ in range(args.repeat)]))
        print(f"{'':30s} {grid.size / 1e3:.0f} kB of HTML")  # type: ignore[attr-defined]

        slot = db.session.scalars(
            select(Slot).where(Slot.event_id == event.id, Slot.submission_id.is_not(None))
        ).first()
        assert slot is not None
        slot_id, room_ids = slot.id, [slot.room_id]
        room_ids.append(
            db.session.scalar(
                select(Room.id).where(Room.event_id == event.id, Room.id != slot.room_id)
            )
        )
        base = slot.start_at

        def move(index: list[int] = [0]) -> None:  # noqa: B006  a counter across calls
            index[0] += 1
            version = db.session.scalar(select(Slot.version).where(Slot.id == slot_id))
            response = client.post(
                f"/orga/{event.slug}/schedule/api/slots/{slot_id}/move",
                data=json.dumps(
                    {
                        "room_id": room_ids[index[0] % 2],
                        "start": base.isoformat(),
                        "version": version,
                    }
                ),
                content_type="application/json",
            )
            assert response.status_code == 200, response.get_data(as_text=True)

        cold = timed(move)
        print(_line("move (JSON, with conflicts)", cold, [timed(move) for _ in range(args.repeat)]))

        def neighbourhood() -> None:
            queries.conflicts_involving(event, [slot_id])

        def whole() -> None:
            queries.event_conflicts(event)

        for label, action in (
            ("conflicts of the moved slot", neighbourhood),
            ("whole-event conflicts (avoided)", whole),
        ):
            db.session.expire_all()
            cold = timed(action)
            print(_line(label, cold, [timed(action) for _ in range(args.repeat)]))


if __name__ == "__main__":
    main()
