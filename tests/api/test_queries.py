"""The API runs the same number of SQL queries whatever the size of the program."""

from __future__ import annotations

import pytest
from flask import Flask

from podium.extensions import db
from podium.schedule import services
from tests.schedule.builders import make_event, make_rooms, make_speaker, place
from tests.support.factories import TrackFactory
from tests.support.queries import count_queries
from tests.support.queries import flask_path_config as app_config  # noqa: F401

URLS = [
    "/api/v1/events",
    "/api/v1/events/{slug}",
    "/api/v1/events/{slug}/sessions",
    "/api/v1/events/{slug}/sessions?track=Main&day=2030-02-02",
    "/api/v1/events/{slug}/sessions/{guid}",
    "/api/v1/events/{slug}/speakers",
]


def build(slug: str, sessions: int, rooms: int) -> dict[str, str]:
    """A published event of ``sessions`` sessions in ``rooms`` rooms, two releases deep."""
    event = make_event(slug=slug)
    track = TrackFactory(event=event, name="Main")
    room_list = make_rooms(event, rooms)
    speakers = [make_speaker(f"Speaker {i}") for i in range(max(1, sessions // 2))]
    first = None
    for i in range(sessions):
        hour, room = divmod(i, rooms)
        slot = place(
            event,
            room_list[room],
            f"2030-02-02 {9 + hour:02d}:00",
            title=f"Talk {i}",
            speakers=(speakers[i % len(speakers)],),
        )
        slot.submission.track = track
        first = first or slot
    services.publish_release(event=event, actor=None)
    first.submission.title = "Talk 0, renamed"  # a real change: release 2 differs from 1
    db.session.commit()
    services.publish_release(event=event, actor=None)
    return {"slug": slug, "guid": first.submission.guid}


def queries_for(app: Flask, url: str) -> int:
    client = app.test_client()
    with count_queries() as log:
        response = client.get(url)
    assert response.status_code == 200, url
    return log.count


@pytest.mark.parametrize("url", URLS)
def test_cold_and_cached_requests_run_bounded_queries(app: Flask, url: str) -> None:
    small, large = build("small", 2, 2), build("large", 40, 8)
    cold, cached = [], []
    for values in (small, large):
        app.extensions.pop("podium_program_cache", None)  # measure the uncached path first
        cold.append(queries_for(app, url.format(**values)))
        cached.append(queries_for(app, url.format(**values)))
    assert cold[0] == cold[1], f"{url}: {cold[0]} queries small, {cold[1]} large"
    assert cached == [1, 1], f"{url}: cached {cached}"
    # The event and its release, plus the snapshot once per release and worker.
    assert cold[0] <= 2
