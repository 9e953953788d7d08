"""The public program: pages, time zones, releases, exports, conditional requests."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import icalendar
import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from podium.program.timeline import DASH
from podium.schedule import services
from tests.schedule.builders import local, make_event, make_rooms, make_speaker, place
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"


def text(response) -> str:  # type: ignore[no-untyped-def]
    """The body, with the en dash between times as a plain hyphen (keeps assertions ASCII)."""
    return response.get_data(as_text=True).replace(DASH, "-")


def squash(html: str) -> str:
    """Collapse whitespace so assertions can quote rendered text exactly."""
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def published(app: Flask):  # type: ignore[no-untyped-def]
    """An event with two rooms, three sessions (one late, crossing midnight) and a release."""
    event = make_event(name="Demo Conf", slug="demo", description="**Welcome**")
    room_a, room_b = make_rooms(event, 2)
    ada, bob = make_speaker("Ada Lovelace"), make_speaker("Bob Byte")
    opening = place(event, room_a, "2030-02-02 10:00", title="Opening", speakers=(ada,))
    place(event, room_b, "2030-02-02 10:30", minutes=60, title="Rust in space", speakers=(bob,))
    late = place(event, room_a, "2030-02-02 23:30", minutes=60, title="Midnight hack")
    services.add_block(
        event=event,
        title="Lunch",
        kind="break",
        room=None,
        start_at=local(event, "2030-02-02 12:00"),
        duration_minutes=60,
    )
    release = services.publish_release(event=event, actor=None, comment="First")
    return {"event": event, "opening": opening, "late": late, "release": release, "ada": ada}


def test_event_page_links_days_exports_and_renders_markdown(client: FlaskClient, published) -> None:
    html = squash(text(client.get("/demo/")))
    assert "<h1>Demo Conf</h1>" in html
    assert "<strong>Welcome</strong>" in html
    assert "3 sessions, 2 speakers, 2 rooms. Release 1" in html
    assert 'href="/demo/schedule/?day=2030-02-02"' in html
    assert 'href="/demo/schedule.xml"' in html and 'href="/demo/schedule.ics"' in html


def test_event_page_without_release_says_so_and_exports_404(
    client: FlaskClient, app: Flask
) -> None:
    make_event(slug="early")
    assert "The schedule has not been published yet." in text(client.get("/early/"))
    assert "The schedule has not been published yet." in text(client.get("/early/schedule/"))
    response = client.get("/early/schedule.xml")
    assert response.status_code == 404
    assert "This event has not published a schedule yet." in text(response)


def test_private_event_is_hidden_except_from_organizers(app: Flask) -> None:
    event = make_event(slug="secret", is_public=False)
    (room,) = make_rooms(event, 1)
    place(event, room, "2030-02-02 10:00", title="Hidden talk")
    services.publish_release(event=event, actor=None)
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    assert app.test_client().get("/secret/schedule/").status_code == 404
    assert app.test_client().get("/secret/schedule.xml").status_code == 404
    client = login(app.test_client(), organizer)
    assert "Hidden talk" in text(client.get("/secret/schedule/"))


def test_schedule_grid_shows_rooms_times_and_zone(client: FlaskClient, published) -> None:
    response = client.get("/demo/schedule/")
    html = squash(text(response))
    assert response.status_code == 200
    assert '<th scope="col">Room A</th><th scope="col">Room B</th>' in html
    assert 'Times are shown in <strong class="tz-name">Europe/Brussels</strong>' in html
    assert '<span class="session-time">10:00-10:30</span>' in html
    assert '<span class="session-time">23:30-Sun 00:30</span>' in html
    assert '<span class="block-title">Lunch</span>' in html
    assert 'colspan="2"' in html  # the lunch break spans both rooms
    assert '<script src="/static/program.js" defer></script>' in html
    assert "<script>" not in html  # CSP: no inline script


def test_schedule_grid_with_one_room_keeps_the_time_column_narrow(
    client: FlaskClient, app: Flask
) -> None:
    import lxml.html

    # podium.css keeps every .time-col cell at its content's width (the times) and lets the
    # room columns share the rest; the zone name above it may break after each "/".
    event = make_event(slug="solo")
    (room,) = make_rooms(event, 1)
    place(event, room, "2030-02-02 10:00", title="Only talk")
    services.publish_release(event=event, actor=None)

    html = client.get("/solo/schedule/?tz=America/Argentina/Buenos_Aires").get_data(as_text=True)
    assert (
        '<th scope="col" class="time-col">America/<wbr>Argentina/<wbr>Buenos_Aires</th>'
        '<th scope="col">Room A</th>'
    ) in html
    (table,) = lxml.html.fromstring(html).find_class("schedule-grid")
    header = table.xpath("./thead/tr/th")
    assert [th.get("class") for th in header] == ["time-col", None]
    rows = table.xpath("./tbody/tr")
    assert rows and all(row.xpath("./th")[0].get("class") == "time-col" for row in rows)


def test_schedule_grid_in_visitor_zone_keeps_tz_in_links(client: FlaskClient, published) -> None:
    html = squash(text(client.get("/demo/schedule/?tz=America/New_York")))
    assert 'Times are shown in <strong class="tz-name">America/New_York</strong>' in html
    assert '<span class="session-time">04:00-04:30</span>' in html
    assert '<span class="session-time">17:30-18:30</span>' in html  # 23:30 Brussels
    guid = published["opening"].submission.guid
    assert f'href="/demo/sessions/{guid}?tz=America/New_York"' in html
    assert "show event time" in html


def test_unknown_tz_is_a_400_naming_the_parameter(client: FlaskClient, published) -> None:
    response = client.get("/demo/schedule/?tz=Mars/Olympus")
    assert response.status_code == 400
    assert "The tz parameter &#39;Mars/Olympus&#39; is not a time zone name" in text(response)


def test_unknown_day_is_404_and_bad_day_400(client: FlaskClient, published) -> None:
    assert client.get("/demo/schedule/?day=2031-01-01").status_code == 404
    response = client.get("/demo/schedule/?day=tomorrow")
    assert response.status_code == 400
    assert "The day parameter" in text(response)


def test_schedule_list_groups_by_conference_day(client: FlaskClient, published) -> None:
    html = squash(text(client.get("/demo/schedule/list")))
    saturday = html.index("Day 1: Saturday 02 February 2030")
    sunday = html.index("Day 2: Sunday 03 February 2030")
    assert saturday < html.index("Midnight hack") < sunday
    assert "<td>23:30-Sun 00:30</td><td>Room A</td>" in html
    # One time line: the 12:00 break sits between the morning sessions and the late one.
    rows = [">Opening</a>", ">Rust in space</a>", "<td>Lunch</td>", ">Midnight hack</a>"]
    positions = [html.index(row) for row in rows]
    assert positions == sorted(positions), html[saturday:sunday]


def test_session_page_shows_time_room_speakers_and_calendar(client: FlaskClient, published) -> None:
    submission = published["late"].submission
    html = squash(text(client.get(f"/demo/sessions/{submission.guid}")))
    assert "<h1>Midnight hack</h1>" in html
    assert (
        "Saturday 02 February 2030, 23:30 - Sunday 03 February 2030, 00:30</time> "
        "(Europe/Brussels, 60 min)"
    ) in html
    assert f'href="/demo/sessions/{submission.guid}.ics"' in html
    tokyo = squash(text(client.get(f"/demo/sessions/{submission.guid}?tz=Asia/Tokyo")))
    assert "Sunday 03 February 2030, 07:30-08:30</time> (Asia/Tokyo, 60 min)" in tokyo
    assert client.get("/demo/sessions/nope").status_code == 404


def test_speaker_page_lists_sessions_and_biography(client: FlaskClient, published) -> None:
    event_html = text(client.get("/demo/schedule/"))
    ref = re.search(r'href="/demo/speakers/([^"?]+)">Ada Lovelace', event_html).group(1)
    html = squash(text(client.get(f"/demo/speakers/{ref}")))
    assert "<h1>Ada Lovelace</h1>" in html
    assert "<p>Speaks about things.</p>" in html
    assert ">Opening</a>" in html and "Rust in space" not in html
    calendar = icalendar.Calendar.from_ical(client.get(f"/demo/speakers/{ref}.ics").data)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Opening"]
    assert client.get("/demo/speakers/999999").status_code == 404


def test_search_by_title_and_speaker(client: FlaskClient, published) -> None:
    html = squash(text(client.get("/demo/search?q=rust")))
    assert "1 session found." in html and ">Rust in space</a>" in html
    html = squash(text(client.get("/demo/search?q=lovelace")))
    assert "1 session found." in html and ">Opening</a>" in html
    assert "0 sessions found." in squash(text(client.get("/demo/search?q=cobol")))
    response = client.get("/demo/search?q=" + "x" * 201)
    assert response.status_code == 400
    assert "The q parameter is longer than 200 characters." in text(response)


def test_program_shows_latest_release_not_live_slots(client: FlaskClient, published) -> None:
    event, opening = published["event"], published["opening"]
    services.move_slot(
        event=event, slot=opening, room=opening.room, start_at=local(event, "2030-02-02 16:00")
    )
    guid = opening.submission.guid
    assert "10:00-10:30" in text(client.get(f"/demo/sessions/{guid}"))
    services.publish_release(event=event, actor=None, comment="Moved the opening")
    html = squash(text(client.get(f"/demo/sessions/{guid}")))
    assert "16:00-16:30" in html and "10:00-10:30" not in html
    releases = squash(text(client.get("/demo/releases/")))
    assert "Release 2" in releases and "Moved the opening" in releases
    assert "Opening: Sat 02 Feb 10:00 → Sat 02 Feb 16:00" in releases
    assert releases.index("Release 2") < releases.index("Release 1")


def test_exports_validate_and_carry_release_validators(client: FlaskClient, published) -> None:
    xml = client.get("/demo/schedule.xml")
    assert xml.content_type == "application/xml; charset=utf-8"
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
    document = etree.fromstring(xml.data)
    assert schema.validate(document), schema.error_log
    assert sorted(document.xpath("//event/title/text()")) == [
        "Midnight hack",
        "Opening",
        "Rust in space",
    ]
    assert "Lunch" not in xml.get_data(as_text=True)  # breaks are not sessions

    as_json = client.get("/demo/schedule.json")
    assert as_json.content_type == "application/json"
    validator = jsonschema.Draft6Validator(
        json.loads((SCHEMAS / "schedule-schema1.json").read_text())
    )
    assert list(validator.iter_errors(as_json.get_json())) == []

    ics = client.get("/demo/schedule.ics")
    assert ics.content_type == "text/calendar; charset=utf-8"
    events = icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts[0] == dt.datetime(2030, 2, 2, 9, 0, tzinfo=dt.UTC)
    release = published["release"]
    for response in (xml, as_json, ics):
        assert response.headers["ETag"].startswith(f'"{release.id}.')
        assert response.headers["Cache-Control"] == "public, max-age=60"
        assert response.last_modified == release.published_at.replace(microsecond=0)

    guid = published["opening"].submission.guid
    one = icalendar.Calendar.from_ical(client.get(f"/demo/sessions/{guid}.ics").data)
    assert [str(e["UID"]) for e in one.walk("VEVENT")] == [guid]
    assert client.get("/demo/sessions/nope.ics").status_code == 404


@pytest.mark.parametrize(
    "url", ["/demo/schedule.xml", "/demo/schedule.json", "/demo/schedule.ics", "/demo/schedule/"]
)
def test_conditional_requests_get_304_until_next_release(
    client: FlaskClient, published, url: str
) -> None:
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert (again.status_code, again.data, again.headers["ETag"]) == (304, b"", etag)
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    event, opening = published["event"], published["opening"]
    services.move_slot(
        event=event, slot=opening, room=opening.room, start_at=local(event, "2030-02-02 16:00")
    )
    services.publish_release(event=event, actor=None)
    fresh = client.get(url, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag


def test_cached_page_never_leaks_the_logged_in_user(app: Flask, published) -> None:
    user = UserFactory(name="Zelda Secret")
    member = login(app.test_client(), user)
    mine = member.get("/demo/schedule/")
    anonymous = app.test_client().get("/demo/schedule/")
    assert mine.headers["ETag"] != anonymous.headers["ETag"]
    assert "Cookie" in anonymous.headers["Vary"]
    assert (
        text(mine).replace("Zelda Secret", "") != text(mine)
        or "accounts.dashboard" not in app.view_functions
    )
    assert "Zelda Secret" not in text(anonymous)
    assert text(anonymous).count("Midnight hack") == text(mine).count("Midnight hack")


@pytest.mark.parametrize("url", ["/demo/schedule.xml", "/demo/schedule/"])
def test_gzip_variant_matches_plain_body_with_its_own_etag(
    client: FlaskClient, published, url: str
) -> None:
    import gzip

    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gz"'
    assert "Accept-Encoding" in packed.headers["Vary"]
    again = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
    )
    assert again.status_code == 304


def test_dst_event_pages_keep_wall_clock_times_in_both_zones(
    client: FlaskClient, app: Flask
) -> None:
    # Clocks go back in Brussels on Sunday 27 October 2030; days run 10:00 to 03:00.
    event = make_event(slug="dst", start="2030-10-26", end="2030-10-27", day_change_minutes=240)
    (room,) = make_rooms(event, 1)
    place(event, room, "2030-10-26 10:00", title="Saturday talk")
    place(event, room, "2030-10-27 01:30", minutes=90, title="Night owl")  # 01:30 CEST-02:00 CET
    place(event, room, "2030-10-27 10:00", title="Sunday talk")
    services.publish_release(event=event, actor=None)

    saturday = squash(text(client.get("/dst/schedule/?day=2030-10-26")))
    sunday = squash(text(client.get("/dst/schedule/?day=2030-10-27")))
    assert '<span class="session-time">10:00-10:30</span>' in saturday
    # Still Saturday's; 90 minutes that read as 30 without the offsets.
    assert '<span class="session-time">Sun 01:30 (UTC+2)-Sun 02:00 (UTC+1)</span>' in saturday
    assert "Night owl" not in sunday
    assert '<span class="session-time">10:00-10:30</span>' in sunday

    saturday_utc = squash(text(client.get("/dst/schedule/?day=2030-10-26&tz=UTC")))
    sunday_utc = squash(text(client.get("/dst/schedule/?day=2030-10-27&tz=UTC")))
    assert '<span class="session-time">08:00-08:30</span>' in saturday_utc
    assert '<span class="session-time">23:30-Sun 01:00</span>' in saturday_utc
    assert '<span class="session-time">09:00-09:30</span>' in sunday_utc
    listing = squash(text(client.get("/dst/schedule/list?tz=America/New_York")))
    # New York is still on summer time that weekend: 10:00 CET is 05:00 EDT.
    assert "<td>05:00-05:30</td>" in listing and "<td>04:00-04:30</td>" in listing
