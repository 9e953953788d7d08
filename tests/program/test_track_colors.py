"""Track colours in the public program: per-release tracks.css, grid cells, list and session
badges, legend; imported tracks without a colour get distinct defaults."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.events.colors import AA_NORMAL_TEXT, contrast_ratio
from podium.events.models import Event, Track
from podium.exchange.frab_xml import parse_frab_xml
from podium.exchange.services import import_schedule
from podium.extensions import db
from podium.schedule import services
from tests.exchange.conftest import read_fixture
from tests.program.test_queries import build, queries_for
from tests.schedule.builders import make_event, make_rooms, place
from tests.support.factories import TrackFactory
from tests.support.queries import flask_path_config as app_config  # noqa: F401


@pytest.fixture
def demo(app: Flask) -> dict[str, object]:
    """Kernel (dark blue, white text) on Saturday, Web (yellow, black text) on Sunday, one
    session without a track, and an unused track Empty."""
    event = make_event(name="Demo Conf", slug="demo")
    (room,) = make_rooms(event, 1)
    kernel = TrackFactory(event=event, name="Kernel", color="#1a237e")
    web = TrackFactory(event=event, name="Web", color="#ffeb3b")
    TrackFactory(event=event, name="Empty", color="#00ff00")
    first = place(event, room, "2030-02-02 10:00", title="Scheduler")
    second = place(event, room, "2030-02-03 10:00", title="CSS tricks")
    place(event, room, "2030-02-03 11:00", title="No track")
    first.submission.track, second.submission.track = kernel, web
    db.session.commit()
    services.publish_release(event=event, actor=None)
    return {"event": event, "first": first, "second": second}


def _track_ids(app: Flask) -> dict[str, int]:
    with app.test_request_context():
        from podium.program.queries import program_data, program_head

        program = program_data(program_head("demo"))
        return {name: style.index for name, style in program.track_styles.items()}


def test_tracks_css_gives_each_track_its_colour_and_aa_text(
    client: FlaskClient, app: Flask, demo: dict[str, object]
) -> None:
    response = client.get("/demo/tracks.css")
    ids = _track_ids(app)

    assert response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    rule = r"\.track-(\d+) \{ --track-bg: (#[0-9a-f]{6}); --track-fg: (#[0-9a-f]{6}); \}\n"
    rules = {int(i): (bg, fg) for i, bg, fg in re.findall(rule, css)}
    assert len(re.findall(rule, css)) == 3 and "".join(re.split(rule, css)[::4]) == ""
    assert {name: rules[i] for name, i in ids.items()} == {
        "Kernel": ("#1a237e", "#ffffff"),
        "Web": ("#ffeb3b", "#000000"),
        "Empty": ("#00ff00", "#000000"),
    }
    assert all(contrast_ratio(bg, fg) >= AA_NORMAL_TEXT for bg, fg in rules.values())
    etag = response.headers["ETag"]
    assert client.get("/demo/tracks.css", headers={"If-None-Match": etag}).status_code == 304


def test_grid_list_and_session_pages_draw_track_colours_and_legend(
    client: FlaskClient, app: Flask, demo: dict[str, object]
) -> None:
    ids = _track_ids(app)
    kernel, web = f"track-{ids['Kernel']}", f"track-{ids['Web']}"
    saturday = client.get("/demo/schedule/?day=2030-02-02").get_data(as_text=True)
    listing = client.get("/demo/schedule/list").get_data(as_text=True)
    session_html = client.get(f"/demo/sessions/{demo['second'].submission.guid}").get_data(
        as_text=True
    )

    release_css = re.findall(
        r'<link rel="stylesheet" href="(/demo/tracks\.css\?r=[^"]+)">', saturday
    )
    assert len(release_css) == 1
    assert re.findall(r'<td rowspan="\d+" class="([^"]*)">', saturday) == [
        f"session tracked {kernel}"
    ]
    legend = r'<span class="track-badge tracked (track-\d+)">([^<]+)</span>'
    assert re.findall(legend, saturday) == [(kernel, "Kernel")]  # this day's tracks only
    # List: the legend (tracks in the release's order, unused "Empty" left out), then one
    # badge per session with a track.
    assert re.findall(legend, listing) == [
        (kernel, "Kernel"),
        (web, "Web"),
        (kernel, "Kernel"),
        (web, "Web"),
    ]
    assert re.findall(r'<span class="track-badge ([^"]+)">([^<]+)</span>', session_html) == [
        (f"tracked {web}", "Web")
    ]


def test_recoloured_track_shows_after_the_next_release(
    client: FlaskClient, demo: dict[str, object]
) -> None:
    page = client.get("/demo/schedule/list").get_data(as_text=True)
    old_css_url = re.search(r'href="(/demo/tracks\.css\?r=[^"]+)"', page).group(1)
    track = db.session.scalar(select(Track).where(Track.name == "Web"))
    track.color = "#000080"
    db.session.commit()
    assert "#000080" not in client.get(old_css_url).get_data(as_text=True)  # not yet published

    services.publish_release(event=demo["event"], actor=None)

    page = client.get("/demo/schedule/list").get_data(as_text=True)
    new_css_url = re.search(r'href="(/demo/tracks\.css\?r=[^"]+)"', page).group(1)
    assert new_css_url != old_css_url
    assert "--track-bg: #000080; --track-fg: #ffffff;" in client.get(new_css_url).get_data(
        as_text=True
    )


def test_tracks_css_runs_bounded_queries(app: Flask) -> None:
    small, large = build("small", 2, 2), build("large", 40, 8)
    counts = []
    for values in (small, large):
        app.extensions.pop("podium_program_cache", None)
        counts.append(queries_for(app, f"/{values['slug']}/tracks.css"))
    assert counts[0] == counts[1] <= 2
    assert queries_for(app, f"/{large['slug']}/tracks.css") == 1


def test_imported_fosdem_tracks_get_distinct_colours(app: Flask) -> None:
    data = parse_frab_xml(read_fixture("fosdem-2025.schedule.xml"))
    assert {t.color for t in data.tracks} == {None}  # FOSDEM gives no colours

    import_schedule(data=data, event_slug=None, actor=None)

    event = db.session.scalar(select(Event).where(Event.slug == "fosdem-2025"))
    colours = db.session.scalars(select(Track.color).where(Track.event_id == event.id)).all()
    names = {t.name for t in data.tracks} | {s.track for s in data.sessions if s.track}
    assert len(colours) == len(names)
    assert len(set(colours)) == len(colours)
    assert "#3b6ea8" not in colours  # not the model's single default blue
