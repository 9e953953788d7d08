"""Links and attachments survive import, releases and every export; hostile URLs never do."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable

import icalendar
import jsonschema
from flask import Flask
from lxml import etree
from sqlalchemy import select

from podium.cfp.models import Submission
from podium.events.models import Event
from podium.exchange.cli import import_schedule_command
from podium.exchange.frab_xml import parse_frab_xml, write_frab_xml
from podium.exchange.ical import write_ical_program
from podium.exchange.normalize import MAX_LINK_URL
from podium.exchange.schedule_data import ScheduleData, SessionData
from podium.exchange.schedule_json import parse_schedule_json, write_schedule_json
from podium.exchange.services import MAX_LINKS, build_schedule_data, import_schedule
from podium.extensions import db
from podium.schedule.services import publish_release
from tests.support.queries import count_queries

from .conftest import by_guid, read_fixture

# FOSDEM 2025's schedule.xml: <link> and <attachment> elements with an href, all http(s).
FOSDEM_LINKS = 725
FOSDEM_ATTACHMENTS = 13

HOSTILE = (
    ("Click me", "javascript:alert(document.cookie)"),
    ("Data", "data:text/html,<script>alert(1)</script>"),
    ("Tabbed", "java\tscript:alert(2)"),
    ("Shouting", "JAVASCRIPT:alert(3)"),
    ("Relative", "/slides.pdf"),
)


def _fosdem() -> ScheduleData:
    return parse_frab_xml(read_fixture("fosdem-2025.schedule.xml"))


def _event(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    assert event is not None
    return event


def _links(data: ScheduleData) -> dict[str, tuple[object, object]]:
    return {s.guid: (s.links, s.attachments) for s in data.sessions}


def _hostile_schedule(make_schedule: Callable[..., ScheduleData]) -> ScheduleData:
    data = make_schedule()
    session = dataclasses.replace(
        data.sessions[0],
        links=(("Slides", "https://example.org/slides.pdf"), *HOSTILE),
        attachments=(("Paper", "vbscript:msgbox(1)"), ("Paper", "HTTPS://example.org/p.pdf")),
    )
    return data.replace(sessions=(session,))


def test_fosdem_fixture_has_the_counted_links() -> None:
    data = _fosdem()

    assert sum(len(s.links) for s in data.sessions) == FOSDEM_LINKS
    assert sum(len(s.attachments) for s in data.sessions) == FOSDEM_ATTACHMENTS


def test_import_stores_every_fosdem_link_in_order_and_builds_them_back(app: Flask) -> None:
    data = _fosdem()

    result = import_schedule(data=data, event_slug=None, actor=None)

    assert (result.links_skipped, result.warnings) == (0, [])
    stored = db.session.scalars(select(Submission.links)).all()
    assert sum(len(rows) for rows in stored) == FOSDEM_LINKS + FOSDEM_ATTACHMENTS
    db.session.expire_all()
    built = build_schedule_data(_event("fosdem-2025"))
    assert _links(built) == _links(data)


def test_fosdem_round_trip_through_both_exports_keeps_every_link(
    app: Flask, xsd: etree.XMLSchema, json_schema_validator: jsonschema.Draft6Validator
) -> None:
    data = _fosdem()
    import_schedule(data=data, event_slug=None, actor=None)
    built = build_schedule_data(_event("fosdem-2025"), base_url="https://fosdem.org/2025/")

    as_xml = write_frab_xml(built)
    as_json = write_schedule_json(built)

    assert xsd.validate(etree.fromstring(as_xml).getroottree()), str(xsd.error_log)
    json_schema_validator.validate(json.loads(as_json))
    root = etree.fromstring(as_xml)
    assert len(root.findall(".//event/links/link")) == FOSDEM_LINKS
    assert len(root.findall(".//event/attachments/attachment")) == FOSDEM_ATTACHMENTS
    for exported in (parse_frab_xml(as_xml), parse_schedule_json(as_json)):
        assert _links(exported) == _links(data)
        again = import_schedule(data=exported, event_slug=None, actor=None)
        assert (again.sessions_updated, again.sessions_unchanged) == (0, 943)
        assert again.links_skipped == 0
    db.session.expire_all()
    assert _links(build_schedule_data(_event("fosdem-2025"))) == _links(data)


def test_reimport_counts_a_session_updated_only_when_its_links_differ(app: Flask) -> None:
    data = _fosdem()
    import_schedule(data=data, event_slug=None, actor=None)
    assert import_schedule(data=data, event_slug=None, actor=None).sessions_unchanged == 943

    first, second, third = data.sessions[:3]
    changes = (
        dataclasses.replace(first, links=(*first.links, ("Video", "https://video.example/1"))),
        dataclasses.replace(second, links=(), attachments=()),
        dataclasses.replace(third, links=tuple(reversed((*third.links, ("A", "https://a.b"))))),
    )
    changed = data.replace(sessions=(*changes, *data.sessions[3:]))

    result = import_schedule(data=changed, event_slug=None, actor=None)
    again = import_schedule(data=changed, event_slug=None, actor=None)

    assert (result.sessions_updated, result.sessions_unchanged) == (3, 940)
    assert (again.sessions_updated, again.sessions_unchanged) == (0, 943)
    db.session.expire_all()
    built = by_guid(build_schedule_data(_event("fosdem-2025")))
    for session in changes:
        assert (built[session.guid].links, built[session.guid].attachments) == (
            session.links,
            session.attachments,
        )


def test_hostile_and_relative_urls_are_skipped_and_reported(
    app: Flask, make_schedule: Callable[..., ScheduleData]
) -> None:
    data = _hostile_schedule(make_schedule)
    guid = data.sessions[0].guid

    result = import_schedule(data=data, event_slug=None, actor=None)

    assert result.links_skipped == len(HOSTILE) + 1
    assert result.summary().endswith("; 6 links skipped")
    assert result.warnings[0] == (
        f"session {guid} ('Opening'): link 'javascript:alert(document.cookie)' skipped: "
        "only http and https addresses are kept"
    )
    assert result.warnings[-1].startswith(f"session {guid} ('Opening'): attachment 'vbscript:")
    stored = db.session.scalar(select(Submission.links).where(Submission.guid == guid))
    assert stored == [
        {"kind": "link", "title": "Slides", "url": "https://example.org/slides.pdf"},
        {"kind": "attachment", "title": "Paper", "url": "https://example.org/p.pdf"},
    ]
    # Importing the same file again reports the same skips and changes nothing.
    again = import_schedule(data=data, event_slug=None, actor=None)
    assert (again.sessions_unchanged, again.links_skipped) == (1, 6)


def test_hostile_url_in_a_frab_file_reaches_no_page_or_export(app: Flask) -> None:
    raw = read_fixture("romhack-camp-2026.schedule.xml")
    links = (
        b'<links><link href="javascript:alert(1)">Slides</link>'
        b'<link href="https://example.org/ok">Video</link></links>'
    )
    attachments = b'<attachments><attachment href="data:text/html,x">Paper</attachment>'
    raw = raw.replace(b"<links></links>", links, 1).replace(b"<attachments>", attachments, 1)
    data = parse_frab_xml(raw)
    assert sum(len(s.links) + len(s.attachments) for s in data.sessions) == 3

    result = import_schedule(data=data, event_slug="rh", actor=None, make_public=True)
    event = _event("rh")
    publish_release(event=event, actor=None)
    client = app.test_client()
    guid = next(s.guid for s in data.sessions if s.links)
    bodies = [
        client.get(path).get_data(as_text=True)
        for path in (
            f"/rh/sessions/{guid}",
            f"/rh/sessions/{guid}.ics",
            "/rh/schedule.xml",
            "/rh/schedule.json",
            "/rh/schedule.ics",
            f"/api/v1/events/rh/sessions/{guid}",
            "/api/v1/events/rh/sessions",
        )
    ]

    assert result.links_skipped == 2
    for body in bodies:
        assert "javascript:" not in body.lower()
        assert "data:text" not in body
    assert 'href="https://example.org/ok" rel="nofollow noopener">Video</a>' in bodies[0]
    assert '<link href="https://example.org/ok">Video</link>' in bodies[2]
    api = json.loads(bodies[5])
    assert api["session"]["links"] == [{"title": "Video", "url": "https://example.org/ok"}]


def test_writers_leave_out_links_with_another_scheme(
    make_schedule: Callable[..., ScheduleData],
    xsd: etree.XMLSchema,
    json_schema_validator: jsonschema.Draft6Validator,
) -> None:
    # ScheduleData straight from a caller, not from the database: the writers check too.
    data = _hostile_schedule(make_schedule)

    as_xml = write_frab_xml(data)
    as_json = write_schedule_json(data)

    assert xsd.validate(etree.fromstring(as_xml).getroottree()), str(xsd.error_log)
    json_schema_validator.validate(json.loads(as_json))
    expected = (
        (
            ("Slides", "https://example.org/slides.pdf"),
            ("Relative", "https://example.org/slides.pdf"),  # made absolute
        ),
        (("Paper", "HTTPS://example.org/p.pdf"),),
    )
    for parsed in (parse_frab_xml(as_xml), parse_schedule_json(as_json)):
        session = parsed.sessions[0]
        assert (session.links, session.attachments) == expected
    for text in (as_xml.decode(), as_json.decode()):
        assert "script:" not in text.lower() and "data:" not in text


def test_links_are_bounded_in_length_and_number(
    app: Flask, make_schedule: Callable[..., ScheduleData]
) -> None:
    data = make_schedule()
    long_url = "https://example.org/" + "x" * MAX_LINK_URL
    many = tuple((f"L{i}", f"https://example.org/{i}") for i in range(MAX_LINKS + 2))
    session = dataclasses.replace(
        data.sessions[0], links=(("T" * 400, long_url), *many), attachments=(("A", long_url),)
    )

    result = import_schedule(data=data.replace(sessions=(session,)), event_slug=None, actor=None)

    stored = db.session.scalar(select(Submission.links))
    assert stored is not None and len(stored) == MAX_LINKS
    assert [row["url"] for row in stored] == [url for _, url in many[:MAX_LINKS]]
    assert result.links_skipped == 4  # the long URL twice, two beyond the limit
    assert f"longer than {MAX_LINK_URL} characters" in result.warnings[0]
    assert f"at most {MAX_LINKS} links and attachments" in result.warnings[1]
    titled = dataclasses.replace(session, links=(("T" * 400, "https://example.org/t"),))
    import_schedule(data=data.replace(sessions=(titled,)), event_slug=None, actor=None)
    stored = db.session.scalar(select(Submission.links))
    assert stored is not None and [len(row["title"]) for row in stored] == [300]
    assert stored[0]["title"].endswith("…")


def test_ical_keeps_the_session_url_and_leaves_links_out(
    make_schedule: Callable[..., ScheduleData],
) -> None:
    data = make_schedule()
    session = dataclasses.replace(
        data.sessions[0],
        url="https://example.org/schedule/opening",
        links=(("Slides", "https://example.org/slides.pdf"),),
    )

    calendar = icalendar.Calendar.from_ical(
        write_ical_program(
            data.replace(sessions=(session,)), stamp=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        )
    )

    (event,) = calendar.walk("VEVENT")
    assert str(event["URL"]) == "https://example.org/schedule/opening"
    assert "slides.pdf" not in str(event["DESCRIPTION"])


def test_cli_lists_skipped_links_under_the_summary(app: Flask, tmp_path) -> None:  # type: ignore[no-untyped-def]
    raw = read_fixture("romhack-camp-2026.schedule.xml")
    path = tmp_path / "hostile.schedule.xml"
    hostile = b'<links><link href="javascript:x()">X</link></links>'
    path.write_bytes(raw.replace(b"<links></links>", hostile, 1))

    result = app.test_cli_runner().invoke(import_schedule_command, [str(path), "--event", "rh"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("; 1 links skipped")
    assert lines[1].startswith("  session ")
    assert lines[1].endswith(
        "link 'javascript:x()' skipped: only http and https addresses are kept"
    )


def test_reimport_and_build_query_counts_do_not_grow_with_links(app: Flask) -> None:
    data = _fosdem()
    small = data.replace(sessions=data.sessions[:20])
    import_schedule(data=small, event_slug="a", actor=None)
    db.session.expire_all()
    with count_queries() as few:
        import_schedule(data=small, event_slug="a", actor=None)
    import_schedule(data=data, event_slug="a", actor=None)
    db.session.expire_all()
    with count_queries() as many:
        import_schedule(data=data.replace(sessions=data.sessions[:400]), event_slug="a", actor=None)

    assert sum(len(s.links) for s in data.sessions[:400]) > sum(
        len(s.links) for s in small.sessions
    )
    assert few.count == many.count


def test_built_session_without_links_has_empty_tuples(
    app: Flask, make_schedule: Callable[..., ScheduleData]
) -> None:
    data = make_schedule()
    import_schedule(data=data, event_slug=None, actor=None)

    (session,) = build_schedule_data(_event("testconf-2025")).sessions

    assert isinstance(session, SessionData)
    assert (session.links, session.attachments) == ((), ())
