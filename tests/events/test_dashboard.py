"""The organizer dashboard tells the team what to do next, and a new event how to start."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.extensions import db
from podium.review import services as review_services
from podium.review.enums import DecisionKind
from podium.schedule import services as schedule_services
from tests.review.conftest import World, bulk_submissions
from tests.review.conftest import world as review_world  # noqa: F401  a fixture, used below
from tests.support.auth import login
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    RoomFactory,
    SessionTypeFactory,
    TrackFactory,
    UserFactory,
)
from tests.support.queries import count_queries


@pytest.fixture
def world(review_world: World) -> World:  # noqa: F811  pytest passes the imported fixture
    """The review tests' event: organizer, reviewers, speakers and four submissions."""
    return review_world


def _client(app: Flask, user) -> FlaskClient:  # type: ignore[no-untyped-def]
    return login(app.test_client(), user)


def _text(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join(element.text_content().split())


def _todo(page: str) -> dict[str, tuple[str, list[str]]]:
    """``{css class: (text, [link hrefs])}`` of the "What to do next" items."""
    (todo,) = lxml.html.fromstring(page).find_class("todo-list")
    return {
        item.get("class"): (_text(item), item.xpath(".//a/@href")) for item in todo.xpath("./li")
    }


def _review(world: World, reviewer, sub, score: int) -> None:  # type: ignore[no-untyped-def]
    review_services.save_review(
        event=world.event, reviewer=reviewer, submission_id=sub.id, score=score, comment=""
    )


def _decide(world: World, subs, kind: DecisionKind) -> None:  # type: ignore[no-untyped-def]
    review_services.set_decisions(
        event=world.event, actor=world.organizer, submission_ids=[s.id for s in subs], decision=kind
    )


def _prepare(world: World) -> None:
    _review(world, world.reviewer, world.subs[0], 3)
    _review(world, world.reviewer, world.subs[1], 2)
    _review(world, world.reviewer_speaker, world.subs[0], 1)
    _decide(world, [world.subs[1]], DecisionKind.ACCEPT)
    review_services.release_decisions(event=world.event, actor=world.organizer)
    _decide(world, [world.subs[2]], DecisionKind.REJECT)


def test_dashboard_lists_what_to_do_next_with_links(app: Flask, world: World) -> None:
    _prepare(world)
    slug = world.event.slug
    page = _client(app, world.organizer).get(f"/orga/{slug}/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    beta = world.subs[1].id
    assert _todo(html) == {
        "todo-reviews": (
            "Reviews: 3 of 7 assigned done · 2 of 3 submission(s) under review have fewer than "
            "2 review(s) · assign reviewers",
            [f"/orga/{slug}/ranking?state=submitted&sort=count&dir=asc", f"/orga/{slug}/review/"],
        ),
        "todo-decisions": (
            "1 decision(s) not released (0 accept, 1 reject)",
            [f"/orga/{slug}/decisions"],
        ),
        "todo-held-mails": (
            "1 decision mail(s) held, not sent; 1 released decision(s) not visible to their "
            "speakers until then",
            [f"/orga/{slug}/mail/?state=held"],
        ),
        "todo-unconfirmed": (
            "1 accepted submission(s) not confirmed by their speakers: Beta talk",
            [f"/orga/{slug}/decisions", f"/orga/{slug}/submissions/{beta}"],
        ),
        "todo-unscheduled": (
            "1 accepted session(s) not in the schedule: Beta talk",
            [f"/orga/{slug}/schedule/#unscheduled-heading"],
        ),
        "todo-conflicts": ("0 schedule conflict(s)", [f"/orga/{slug}/schedule/#conflicts-heading"]),
        "todo-release": ("No session scheduled yet", [f"/orga/{slug}/schedule/"]),
    }
    (progress,) = lxml.html.fromstring(html).find_class("reviewer-progress")
    assert [[_text(c) for c in row.xpath("./td")] for row in progress.xpath(".//tbody/tr")] == [
        ["Rita Reviewer", "2", "4"],
        ["Sam Selfreviewer", "1", "3"],
    ]
    counts = lxml.html.fromstring(html).find_class("state-counts")[0]
    assert [_text(li) for li in counts.xpath("./li")] == ["accepted: 1", "submitted: 3"]


def test_dashboard_follows_the_schedule_from_never_published_to_changed(
    app: Flask, world: World
) -> None:
    _decide(world, [world.subs[1]], DecisionKind.ACCEPT)
    review_services.release_decisions(event=world.event, actor=world.organizer)
    room = RoomFactory(event=world.event, name="Janson")
    day_before = dt.datetime.combine(
        world.event.start_date - dt.timedelta(days=1), dt.time(9, 0), tzinfo=dt.UTC
    )
    slot = schedule_services.place_session(
        event=world.event, submission=world.subs[1], room=room, start_at=day_before
    )
    client = _client(app, world.organizer)
    slug = world.event.slug

    def items() -> dict[str, tuple[str, list[str]]]:
        return _todo(client.get(f"/orga/{slug}/").get_data(as_text=True))

    def conflicts() -> list[str]:
        page = lxml.html.fromstring(client.get(f"/orga/{slug}/").get_data(as_text=True))
        return [_text(li) for li in page.xpath("//li[@class='todo-conflicts']//li")]

    first = items()
    assert first["todo-unscheduled"][0] == "0 accepted session(s) not in the schedule"
    assert first["todo-conflicts"][0].startswith("2 schedule conflict(s)")
    assert conflicts() == [
        "“Beta talk” is outside the event's days.",
        "“Beta talk” is scheduled but accepted, not confirmed.",
    ]
    assert first["todo-release"] == (
        "The schedule was never published",
        [f"/orga/{slug}/schedule/#publish-heading"],
    )
    schedule_services.publish_release(event=world.event, actor=world.organizer)
    assert items()["todo-release"] == (
        "The schedule is published as release 1; no change since",
        [f"/orga/{slug}/schedule/releases"],
    )
    inside = dt.datetime.combine(world.event.start_date, dt.time(9, 0), tzinfo=dt.UTC)
    schedule_services.move_slot(event=world.event, slot=slot, room=room, start_at=inside)
    after = items()
    assert after["todo-release"] == (
        "The schedule has changes not yet published (last release: 1)",
        [f"/orga/{slug}/schedule/#publish-heading"],
    )
    assert conflicts() == ["“Beta talk” is scheduled but accepted, not confirmed."]


def test_reviews_wanted_per_submission_is_the_events_setting(app: Flask, world: World) -> None:
    _prepare(world)
    world.event.reviews_per_submission = 1
    db.session.commit()
    page = _client(app, world.organizer).get(f"/orga/{world.event.slug}/").get_data(as_text=True)
    assert _todo(page)["todo-reviews"][0] == (
        "Reviews: 3 of 7 assigned done · 2 of 3 submission(s) under review have fewer than "
        "1 review(s) · assign reviewers"
    )


def _dashboard_queries(app: Flask, world: World, extra: int) -> int:
    subs = bulk_submissions(world.event, extra)
    for sub in subs[::2]:
        _review(world, world.reviewer, sub, 2)
    _decide(world, subs[: extra // 2], DecisionKind.ACCEPT)
    review_services.release_decisions(event=world.event, actor=world.organizer)
    _decide(world, subs[extra // 2 :], DecisionKind.REJECT)
    room = RoomFactory(event=world.event)
    start = dt.datetime.combine(world.event.start_date, dt.time(8, 0), tzinfo=dt.UTC)
    for i, sub in enumerate(subs[: extra // 4]):
        schedule_services.place_session(
            event=world.event, submission=sub, room=room, start_at=start + dt.timedelta(hours=i)
        )
    schedule_services.publish_release(event=world.event, actor=world.organizer)
    schedule_services.place_session(
        event=world.event, submission=subs[extra // 4], room=room, start_at=start
    )
    client = _client(app, world.organizer)
    client.get(f"/orga/{world.event.slug}/")  # warm up: load the user once
    db.session.expire_all()
    with count_queries() as log:
        response = client.get(f"/orga/{world.event.slug}/")
    assert response.status_code == 200
    return log.count


def test_dashboard_bounded_queries(app: Flask, world: World) -> None:
    small = _dashboard_queries(app, world, 8)
    large = _dashboard_queries(app, world, 60)
    assert small == large


# --- getting started -----------------------------------------------------------------------


def _checklist(page: str) -> list[tuple[str, str, str]]:
    found = lxml.html.fromstring(page).find_class("checklist")
    if not found:
        return []
    return [
        (item.get("class"), _text(item), item.xpath(".//a/@href")[0])
        for item in found[0].xpath("./li")
    ]


def test_new_event_shows_getting_started_checklist_until_done(app: Flask) -> None:
    event = EventFactory(
        slug="fresh",
        start_date=dt.date(2031, 5, 3),
        end_date=dt.date(2031, 5, 4),
        time_zone="America/Montreal",
        is_public=False,
        cfp_opens_at=None,
        cfp_closes_at=None,
    )
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    client = _client(app, organizer)
    page = client.get("/orga/fresh/").get_data(as_text=True)
    assert _checklist(page) == [
        (
            "done",
            "✓ Dates and time zone — 2031-05-03 – 2031-05-04, America/Montreal (done)",  # noqa: RUF001  the en dash of date ranges
            "/orga/fresh/settings",
        ),
        ("todo", "○ Tracks — 0 track(s) (to do)", "/orga/fresh/tracks"),
        ("todo", "○ Rooms — 0 room(s) (to do)", "/orga/fresh/rooms"),
        ("todo", "○ Session types — 0 session type(s) (to do)", "/orga/fresh/session-types"),
        ("todo", "○ CfP window — not scheduled (to do)", "/orga/fresh/settings"),
        ("todo", "○ Make public — not public (to do)", "/orga/fresh/settings"),
    ]
    TrackFactory(event=event, name="Web")
    RoomFactory(event=event, name="Aula")
    RoomFactory(event=event, name="Hall")
    page = client.get("/orga/fresh/").get_data(as_text=True)
    assert [(c, t.split(" —")[0]) for c, t, _ in _checklist(page)] == [
        ("done", "✓ Dates and time zone"),
        ("done", "✓ Tracks"),
        ("done", "✓ Rooms"),
        ("todo", "○ Session types"),
        ("todo", "○ CfP window"),
        ("todo", "○ Make public"),
    ]
    assert "2 room(s)" in _checklist(page)[2][1]
    SessionTypeFactory(event=event)
    event.cfp_opens_at = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
    event.cfp_closes_at = dt.datetime(2031, 2, 1, tzinfo=dt.UTC)
    event.is_public = True
    db.session.commit()
    page = client.get("/orga/fresh/").get_data(as_text=True)
    assert _checklist(page) == []
    assert "Getting started" not in page


def test_review_settings_set_reviews_wanted(app: Flask, world: World) -> None:
    client = _client(app, world.organizer)
    url = f"/orga/{world.event.slug}/review/settings"
    form = {"score_min": "0", "score_max": "3", "reviews_per_submission": "3"}
    assert client.post(url, data=form).status_code == 302
    db.session.refresh(world.event)
    assert world.event.reviews_per_submission == 3
    page = client.get(f"/orga/{world.event.slug}/review/").get_data(as_text=True)
    (field,) = lxml.html.fromstring(page).xpath("//input[@name='reviews_per_submission']")
    assert field.get("value") == "3"

    refused = client.post(url, data={**form, "reviews_per_submission": "0"})
    assert refused.status_code == 400
    (error,) = lxml.html.fromstring(refused.get_data(as_text=True)).xpath(
        "//input[@name='reviews_per_submission']/following-sibling::p[@class='field-error']"
    )
    assert _text(error) == "Number must be between 1 and 50."
    db.session.refresh(world.event)
    assert world.event.reviews_per_submission == 3
