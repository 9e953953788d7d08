"""Every public page and export runs the same number of SQL queries at two data sizes."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from podium.schedule import services
from tests.schedule.builders import make_event, make_rooms, make_speaker, place
from tests.support.queries import count_queries
from tests.support.queries import flask_path_config as app_config  # noqa: F401

PAGES = [
    "/{slug}/",
    "/{slug}/schedule/",
    "/{slug}/schedule/?tz=Asia/Tokyo",
    "/{slug}/schedule/list",
    "/{slug}/sessions/{guid}",
    "/{slug}/sessions/{guid}.ics",
    "/{slug}/speakers/{ref}",
    "/{slug}/speakers/{ref}.ics",
    "/{slug}/search?q=talk",
    "/{slug}/releases/",
    "/{slug}/schedule.xml",
    "/{slug}/schedule.json",
    "/{slug}/schedule.ics",
]


def build(slug: str, sessions: int, rooms: int) -> dict[str, str]:
    event = make_event(slug=slug)
    room_list = make_rooms(event, rooms)
    speakers = [make_speaker(f"Speaker {i}") for i in range(max(1, sessions // 2))]
    first = None
    for i in range(sessions):
        if i == sessions - 1:
            # Two releases with a real change between them: the last session is new in the
            # second, so the releases page lists a changelog.
            services.publish_release(event=event, actor=None)
        hour, room = divmod(i, rooms)
        slot = place(
            event,
            room_list[room],
            f"2030-02-02 {9 + hour:02d}:00",
            title=f"Talk {i}",
            speakers=(speakers[i % len(speakers)],),
        )
        first = first or slot
    services.publish_release(event=event, actor=None)
    return {"slug": slug, "guid": first.submission.guid}


def queries_for(app: Flask, url: str) -> int:
    client = app.test_client()
    with count_queries() as log:
        response = client.get(url)
    assert response.status_code == 200, url
    return log.count


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_run_bounded_queries(app: Flask, url: str) -> None:
    small, large = build("small", 2, 2), build("large", 40, 8)
    counts = []
    for values in (small, large):
        # The speaker's URL id comes from the page itself, as a visitor would follow it.
        html = app.test_client().get(f"/{values['slug']}/schedule/").get_data(as_text=True)
        ref = re.search(rf'href="/{values["slug"]}/speakers/([^"?]+)"', html).group(1)
        app.extensions.pop("podium_program_cache", None)  # measure the cold (uncached) path
        counts.append(queries_for(app, url.format(ref=ref, **values)))
    assert counts[0] == counts[1], f"{url}: {counts[0]} queries small, {counts[1]} large"
    assert counts[0] <= 3


@pytest.mark.parametrize("url", ["/{slug}/schedule/", "/{slug}/schedule.xml"])
def test_cached_requests_run_one_query(app: Flask, url: str) -> None:
    values = build("cached", 6, 3)
    queries_for(app, url.format(**values))
    assert queries_for(app, url.format(**values)) == 1
