"""The JSON API: shapes (validated against its OpenAPI schemas), filters, errors, caching."""

from __future__ import annotations

import gzip
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.extensions import db
from podium.schedule import services
from tests.api.support import assert_valid, publish_demo
from tests.schedule.builders import make_event, make_rooms, place


@pytest.fixture
def demo(app: Flask):  # type: ignore[no-untyped-def]
    return publish_demo(app)


def get_json(client: FlaskClient, url: str, status: int = 200, **kwargs):  # type: ignore[no-untyped-def]
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.get_data(as_text=True))
    assert response.headers["Content-Type"] == "application/json"
    return response.get_json()


def test_events_list_shows_public_events_with_links_and_release(client: FlaskClient, demo) -> None:
    make_event(slug="early", name="Early Conf", start="2031-05-01", end="2031-05-02")
    make_event(slug="secret", is_public=False)
    body = get_json(client, "/api/v1/events")
    assert_valid(body, "EventList")
    assert [e["slug"] for e in body["events"]] == ["early", "demo"]  # latest first day first
    early, demo_event = body["events"]
    assert early["release"] is None
    assert demo_event["release"]["version"] == 1
    assert demo_event["release"]["published_at"].endswith("+00:00")
    assert demo_event["time_zone"] == "Europe/Brussels"
    assert (demo_event["first_day"], demo_event["last_day"]) == ("2030-02-02", "2030-02-03")
    assert demo_event["links"] == {
        "website": "https://demo.example",
        "program": "http://localhost/demo/",
        "self": "http://localhost/api/v1/events/demo",
        "sessions": "http://localhost/api/v1/events/demo/sessions",
        "speakers": "http://localhost/api/v1/events/demo/speakers",
        "schedule_xml": "http://localhost/demo/schedule.xml",
        "schedule_json": "http://localhost/demo/schedule.json",
        "schedule_ics": "http://localhost/demo/schedule.ics",
    }
    assert early["links"]["website"] is None


def test_event_detail_has_release_tracks_rooms_and_session_types(client: FlaskClient, demo) -> None:
    body = get_json(client, "/api/v1/events/demo")
    assert_valid(body, "EventDetail")
    assert body["name"] == "Demo Conf"
    assert body["description_html"] == "<p><strong>Welcome</strong></p>\n"
    assert body["day_change"] == "00:00"
    assert [t["name"] for t in body["tracks"]] == ["Rust", "Web"]
    assert body["rooms"][0]["name"] == "Room A" and body["rooms"][0]["capacity"] == 100
    assert body["session_types"] == [{"name": "Talk"}]


def test_event_without_release_is_listed_with_empty_program(client: FlaskClient, app) -> None:
    event = make_event(slug="early")
    (room,) = make_rooms(event, 1)
    place(event, room, "2030-02-02 10:00", title="Not yet published")
    detail = get_json(client, "/api/v1/events/early")
    assert_valid(detail, "EventDetail")
    assert (detail["release"], detail["rooms"], detail["tracks"]) == (None, [], [])
    sessions = get_json(client, "/api/v1/events/early/sessions?day=2030-02-02")
    assert_valid(sessions, "SessionList")
    assert sessions == {
        "event": "early",
        "time_zone": "Europe/Brussels",
        "release": None,
        "sessions": [],
    }
    speakers = get_json(client, "/api/v1/events/early/speakers")
    assert_valid(speakers, "SpeakerList")
    assert (speakers["release"], speakers["speakers"]) == (None, [])
    assert get_json(client, "/api/v1/events/early/sessions/x", 404)["error"]["code"] == 404


def test_sessions_list_times_speakers_and_text(client: FlaskClient, demo) -> None:
    body = get_json(client, "/api/v1/events/demo/sessions")
    assert_valid(body, "SessionList")
    assert body["release"]["version"] == 1 and body["time_zone"] == "Europe/Brussels"
    assert [s["title"] for s in body["sessions"]] == ["Opening", "Rust in space", "Midnight hack"]
    opening, rusty, late = body["sessions"]
    assert opening["guid"] == demo["opening"].submission.guid
    assert opening["id"] == demo["opening"].submission.id
    assert (opening["start_utc"], opening["end_utc"]) == (
        "2030-02-02T09:00:00+00:00",
        "2030-02-02T09:30:00+00:00",
    )
    assert (opening["start_local"], opening["end_local"]) == (
        "2030-02-02T10:00:00+01:00",
        "2030-02-02T10:30:00+01:00",
    )
    assert opening["abstract"] == "Hello *world*"
    assert opening["abstract_html"] == "<p>Hello <em>world</em></p>\n"
    assert (opening["session_type"], opening["track"], opening["room"]) == ("Talk", None, "Room A")
    assert opening["url"] == f"http://localhost/demo/sessions/{opening['guid']}"
    assert (opening["links"], opening["attachments"]) == (
        [{"title": "Video", "url": "https://video.example/opening"}],
        [{"title": "Slides", "url": "https://files.example/opening.pdf"}],
    )
    assert (rusty["links"], rusty["attachments"]) == ([], [])
    assert [p["name"] for p in rusty["speakers"]] == ["Bob Byte", "Ada Lovelace"]
    assert rusty["speakers"][1]["id"] == opening["speakers"][0]["id"]
    assert set(rusty["speakers"][0]) == {"id", "name", "url"}  # biographies: /speakers
    assert (rusty["track"], rusty["duration_minutes"]) == ("Rust", 60)
    # Crosses midnight: ends on the next local date but belongs to the day it started on.
    assert (late["day"], late["end_local"]) == ("2030-02-03", "2030-02-04T00:30:00+01:00")


def test_session_detail_and_unknown_guid(client: FlaskClient, demo) -> None:
    guid = demo["rusty"].submission.guid
    body = get_json(client, f"/api/v1/events/demo/sessions/{guid}")
    assert_valid(body, "SessionDetail")
    assert body["session"]["title"] == "Rust in space"
    assert body["release"]["version"] == 1
    error = get_json(client, "/api/v1/events/demo/sessions/no-such-guid", 404)
    assert_valid(error, "Error")
    assert error["error"]["message"] == "There is no such session in the published schedule."


def test_speakers_list_gives_the_avatar_of_the_current_release(client: FlaskClient, demo) -> None:
    ada = demo["opening"].submission.speakers[0].speaker
    assert ada.name == "Ada Lovelace"
    ada.avatar_filename = "0123456789abcdef0123456789abcdef.png"
    db.session.commit()
    before = get_json(client, "/api/v1/events/demo/speakers")
    assert [s["avatar_url"] for s in before["speakers"]] == [None, None]

    services.publish_release(event=demo["event"], actor=None, comment="Avatars")
    body = get_json(client, "/api/v1/events/demo/speakers")

    assert_valid(body, "SpeakerList")
    assert [s["avatar_url"] for s in body["speakers"]] == [
        "http://localhost/speaker/avatars/0123456789abcdef0123456789abcdef.png",
        None,
    ]
    sessions = get_json(client, "/api/v1/events/demo/sessions")["sessions"]
    assert all(set(p) == {"id", "name", "url"} for s in sessions for p in s["speakers"])


def test_speakers_list_names_sessions_by_guid(client: FlaskClient, demo) -> None:
    body = get_json(client, "/api/v1/events/demo/speakers")
    assert_valid(body, "SpeakerList")
    assert [s["name"] for s in body["speakers"]] == ["Ada Lovelace", "Bob Byte"]
    ada = body["speakers"][0]
    assert ada["sessions"] == [demo["opening"].submission.guid, demo["rusty"].submission.guid]
    assert ada["url"] == f"http://localhost/demo/speakers/{ada['id']}"
    assert client.get(ada["url"]).status_code == 200  # the program knows the same id
    bob = body["speakers"][1]
    assert (bob["biography"], bob["biography_html"]) == (
        "Speaks about things.",
        "<p>Speaks about things.</p>\n",
    )


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("track=Rust", ["Rust in space"]),
        ("track=Web", ["Midnight hack"]),
        ("room=Room%20A", ["Opening", "Midnight hack"]),
        ("day=2030-02-02", ["Opening", "Rust in space"]),
        ("day=2030-02-03", ["Midnight hack"]),
        ("day=2030-02-02&room=Room%20B", ["Rust in space"]),
        ("day=2030-02-03&track=Rust", []),
    ],
)
def test_filters_select_sessions(client: FlaskClient, demo, query: str, titles) -> None:  # type: ignore[no-untyped-def]
    body = get_json(client, f"/api/v1/events/demo/sessions?{query}")
    assert_valid(body, "SessionList")
    assert [s["title"] for s in body["sessions"]] == titles


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("day=tomorrow", "The day parameter 'tomorrow' is not a date like 2025-02-01."),
        ("day=20300202", "The day parameter '20300202' is not a date like 2025-02-01."),
        ("day=2030-02-30", "The day parameter '2030-02-30' is not a date like 2025-02-01."),
        (
            "day=2031-01-01",
            "The day parameter 2031-01-01 is not a day of this event (2030-02-02 to 2030-02-03).",
        ),
        ("track=Rsut", "The track parameter 'Rsut' is no track of this event."),
        ("room=Kitchen", "The room parameter 'Kitchen' is no room of this event."),
        ("room=", "The room parameter is empty; leave it out to get every room."),
        ("track=Rust&track=Web", "Give the track parameter once."),
        ("track=" + "x" * 201, "The track parameter is longer than 200 characters."),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(
    client: FlaskClient, demo, query: str, message: str
) -> None:
    body = get_json(client, f"/api/v1/events/demo/sessions?{query}", 400)
    assert_valid(body, "Error")
    assert body["error"]["message"] == message


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events/nope",
        "/api/v1/events/nope/sessions",
        "/api/v1/events/nope/speakers",
        "/api/v1/events/secret",
        "/api/v1/events/secret/sessions",
        "/api/v1/events/secret/speakers",
    ],
)
def test_unknown_and_private_events_are_404(client: FlaskClient, app: Flask, url: str) -> None:
    event = make_event(slug="secret", is_public=False)
    (room,) = make_rooms(event, 1)
    place(event, room, "2030-02-02 10:00", title="Hidden talk")
    services.publish_release(event=event, actor=None)
    body = get_json(client, url, 404)
    assert_valid(body, "Error")
    assert body["error"]["message"] in (
        "There is no public event 'nope'.",
        "There is no public event 'secret'.",
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events",
        "/api/v1/events/demo",
        "/api/v1/events/demo/sessions",
        "/api/v1/events/demo/sessions?track=Rust",
        "/api/v1/events/demo/speakers",
        "/api/v1/openapi.json",
    ],
)
def test_every_response_allows_any_origin_and_caches_briefly(
    client: FlaskClient, demo, url: str
) -> None:
    response = client.get(url, headers={"Origin": "https://app.example"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert response.headers["Cache-Control"] == "public, max-age=60"
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    assert again.headers["ETag"] == response.headers["ETag"]
    assert again.headers["Access-Control-Allow-Origin"] == "*"


def test_errors_and_preflight_allow_any_origin(client: FlaskClient, demo) -> None:
    assert client.get("/api/v1/nothing-here").headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/events/demo/sessions",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert client.post("/api/v1/events").status_code == 405


def test_sessions_revalidate_with_304_until_the_next_release(client: FlaskClient, demo) -> None:
    url = "/api/v1/events/demo/sessions"
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(url + "?track=Rust").headers["ETag"] != etag  # each filter its own tag
    demo["opening"].submission.title = "Opening, renamed"
    db.session.commit()
    services.publish_release(event=demo["event"], actor=None)
    fresh = client.get(url, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
    assert fresh.get_json()["release"]["version"] == 2
    assert fresh.get_json()["sessions"][0]["title"] == "Opening, renamed"


def test_weakened_etag_from_a_proxy_still_revalidates(client: FlaskClient, demo) -> None:
    # Proxies that compress (nginx gzip, CDNs) turn "tag" into W/"tag"; If-None-Match uses
    # the weak comparison (RFC 9110 13.1.2), so such a client still gets 304.
    for url in ("/api/v1/events/demo/sessions", "/api/v1/events/demo"):
        etag = client.get(url).headers["ETag"]
        again = client.get(url, headers={"If-None-Match": f"W/{etag}"})
        assert (again.status_code, again.data) == (304, b""), url
        assert client.get(url, headers={"If-None-Match": 'W/"other"'}).status_code == 200


class TestWithoutBaseUrl:
    def test_a_forged_host_never_reaches_another_clients_cached_body(
        self, client: FlaskClient, app: Flask
    ) -> None:
        # Configuration refuses an empty BASE_URL; the API must not rely on that alone.
        app.config["BASE_URL"] = ""
        publish_demo(app)
        for url in ("/api/v1/events/demo/sessions", "/api/v1/events/demo/speakers"):
            forged = client.get(url, base_url="http://evil.example")
            assert "http://evil.example/demo/" in forged.get_data(as_text=True)
            honest = client.get(url, base_url="http://podium.example")
            assert "evil.example" not in honest.get_data(as_text=True), url
            assert "http://podium.example/demo/" in honest.get_data(as_text=True)
            # Nor does the forged copy's tag revalidate the honest one.
            tag = {"If-None-Match": forged.headers["ETag"]}
            again = client.get(url, base_url="http://podium.example", headers=tag)
            assert again.status_code == 200


def test_gzip_variant_has_its_own_etag_and_the_same_body(client: FlaskClient, demo) -> None:
    url = "/api/v1/events/demo/sessions"
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.data)) == plain.get_json()
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gz"'
    assert "Accept-Encoding" in packed.headers["Vary"]
    headers = {"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
    assert client.get(url, headers=headers).status_code == 304


def test_event_edit_changes_the_event_etag(client: FlaskClient, demo) -> None:
    first = client.get("/api/v1/events/demo")
    demo["event"].name = "Demo Conf 2030"
    db.session.commit()
    again = client.get("/api/v1/events/demo", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert again.get_json()["name"] == "Demo Conf 2030"


@pytest.mark.parametrize("guid", ["plain-guid", "with space", "ä/ö?#%", "_podium_slug_"])
def test_pattern_urls_quote_like_url_for(app, guid: str) -> None:  # type: ignore[no-untyped-def]
    from podium.api.views import _PatternUrls, _url

    with app.test_request_context("/api/v1/events"):
        urls = _PatternUrls()
        for _ in range(2):  # the first call builds the pattern, the second reuses it
            assert urls("program.session", slug="demo", guid=guid) == _url(
                "program.session", slug="demo", guid=guid
            )
