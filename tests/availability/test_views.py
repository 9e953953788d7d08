"""Availability pages: the speaker's form, the CfP form when required, the organizers' pages,
permissions as role x endpoint, the editor showing availability, and query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.availability import queries, services
from podium.cfp.models import Submission
from podium.extensions import db
from podium.schedule.models import ScheduleRelease
from tests.schedule.builders import local, make_event, make_rooms, make_speaker, place
from tests.support.auth import login
from tests.support.factories import (
    MembershipFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries

DASH = "\N{EN DASH}"


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def rows(*items: tuple[str, str, str], prefix: str = "") -> dict[str, str]:
    """Form data for availability rows ``(day, from, to)``."""
    data = {}
    for index, (day, start, end) in enumerate(items):
        data[f"{prefix}ranges-{index}-day"] = day
        data[f"{prefix}ranges-{index}-start"] = start
        data[f"{prefix}ranges-{index}-end"] = end
    return data


@pytest.fixture
def world(app: Flask):  # type: ignore[no-untyped-def]
    event = make_event(slug="conf", name="Conf")
    speaker_user = UserFactory(name="Ada")
    profile = SpeakerProfileFactory(user=speaker_user)
    SubmissionFactory(event=event, speaker=profile, title="Engines")
    organizer, reviewer, admin, other = (
        UserFactory(),
        UserFactory(),
        UserFactory(is_admin=True),
        UserFactory(),
    )
    MembershipFactory(event=event, user=organizer, role="organizer")
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    MembershipFactory(event=make_event(slug="other"), user=other, role="organizer")
    return {
        "event": event,
        "profile": profile,
        "users": {
            "anonymous": None,
            "speaker": speaker_user,
            "reviewer": reviewer,
            "other_organizer": other,
            "organizer": organizer,
            "admin": admin,
        },
    }


def as_user(app: Flask, user) -> FlaskClient:  # type: ignore[no-untyped-def]
    return login(app.test_client(), user)


def test_permission_matrix(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    profile_id = world["profile"].id
    organizers = {"organizer", "admin"}
    check_matrix(
        app,
        world["users"],
        [
            Route("GET", "/conf/me/availability", allowed={"speaker"}, denied_status=(404,)),
            Route(
                "POST",
                "/conf/me/availability",
                allowed={"speaker"},
                denied_status=(404,),
                data=rows(("2030-02-02", "09:00", "12:00")),
            ),
            Route("GET", "/orga/conf/availability", allowed=organizers),
            Route("POST", "/orga/conf/availability", allowed=organizers, data={"required": "y"}),
            Route("GET", f"/orga/conf/availability/speakers/{profile_id}", allowed=organizers),
            Route(
                "POST",
                f"/orga/conf/availability/speakers/{profile_id}",
                allowed=organizers,
                data=rows(("2030-02-03", "10:00", "11:00")),
            ),
        ],
    )


def test_speaker_saves_rows_as_merged_utc_ranges(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, client = world["event"], as_user(app, world["users"]["speaker"])
    page = client.get("/conf/me/availability").get_data(as_text=True)
    assert "Not given yet" in page
    assert 'name="ranges-0-start"' in page and 'name="ranges-1-start"' not in page

    response = client.post(
        "/conf/me/availability",
        data=rows(
            ("2030-02-02", "09:00", "11:00"),
            ("2030-02-02", "11:00", "12:30"),
            ("2030-02-03", "", ""),
            ("2030-02-03", "20:00", "00:00"),
        ),
    )

    assert (response.status_code, response.headers["Location"]) == (302, "/conf/me/availability")
    assert queries.ranges_of(event, world["profile"].id) == [
        (local(event, "2030-02-02 09:00"), local(event, "2030-02-02 12:30")),
        (local(event, "2030-02-03 20:00"), local(event, "2030-02-04 00:00")),
    ]
    page = squash(client.get("/conf/me/availability").get_data(as_text=True))
    assert "Availability saved: 2 ranges." in page
    assert f"<li>Sat 02 Feb 09:00{DASH}12:30</li>" in page
    assert f"<li>Sun 03 Feb 20:00 {DASH} Mon 04 Feb 00:00</li>" in page
    # The form shows the saved ranges again, plus a blank row.
    assert 'name="ranges-0-start" type="time" value="09:00"' in page
    assert 'name="ranges-2-start" type="time" value=""' in page


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("2030-02-02", "09:00", ""), "To: enter both times of the range, or neither."),
        (("2030-02-03", "20:00", "01:00"), "To: this runs past the event&#39;s last day."),
        (("2030-02-02", "9 o'clock", "10:00"), "Not a valid time value."),
        (("2030-02-09", "09:00", "10:00"), "Not a valid choice."),
    ],
)
def test_bad_rows_are_refused_naming_the_field(app: Flask, world, row, message) -> None:  # type: ignore[no-untyped-def]
    client = as_user(app, world["users"]["speaker"])
    response = client.post(
        "/conf/me/availability", data=rows(("2030-02-02", "08:00", "09:00"), row)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="08:00"' in page  # what was typed comes back
    assert queries.ranges_of(world["event"], world["profile"].id) == []


def test_time_skipped_by_dst_is_refused_on_its_field(app: Flask) -> None:
    event = make_event(slug="spring", start="2030-03-30", end="2030-03-31")
    user = UserFactory()
    SubmissionFactory(event=event, speaker=SpeakerProfileFactory(user=user))
    response = as_user(app, user).post(
        "/spring/me/availability", data=rows(("2030-03-31", "02:30", "05:00"))
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (
        '<p class="field-error" id="ranges-0-start-error">From: 2030-03-31 02:30 does not exist '
        "in Europe/Brussels (DST change): clocks skip it; enter a time before or after the "
        "change.</p>"
    ) in page


def test_whole_day_on_the_25_hour_day_is_stored_as_25_hours(app: Flask) -> None:
    event = make_event(slug="autumn", start="2030-10-26", end="2030-10-27")
    user = UserFactory()
    profile = SpeakerProfileFactory(user=user)
    SubmissionFactory(event=event, speaker=profile)
    as_user(app, user).post("/autumn/me/availability", data=rows(("2030-10-27", "00:00", "00:00")))
    [(start, end)] = queries.ranges_of(event, profile.id)
    assert end - start == dt.timedelta(hours=25)


def test_add_range_brings_a_blank_row_and_saves_nothing(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    client = as_user(app, world["users"]["speaker"])
    data = rows(("2030-02-02", "09:00", "10:00")) | {"add_range": "1"}
    response = client.post("/conf/me/availability", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="ranges-0-start" type="time" value="09:00"' in page
    assert 'name="ranges-1-start" type="time" value=""' in page
    assert queries.ranges_of(world["event"], world["profile"].id) == []


def test_published_schedule_locks_speakers_but_not_organizers(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, profile = world["event"], world["profile"]
    db.session.add(ScheduleRelease(event_id=event.id, version=1, snapshot={}))
    db.session.commit()
    speaker = as_user(app, world["users"]["speaker"])

    page = speaker.get("/conf/me/availability").get_data(as_text=True)
    assert "The schedule is published: your availability can no longer be changed here." in page
    assert 'name="ranges-0-start"' not in page
    response = speaker.post("/conf/me/availability", data=rows(("2030-02-02", "09:00", "10:00")))
    assert response.status_code == 403
    assert queries.ranges_of(event, profile.id) == []

    organizer = as_user(app, world["users"]["organizer"])
    response = organizer.post(
        f"/orga/conf/availability/speakers/{profile.id}",
        data=rows(("2030-02-02", "09:00", "10:00")),
    )
    assert response.status_code == 302
    assert queries.ranges_of(event, profile.id) == [
        (local(event, "2030-02-02 09:00"), local(event, "2030-02-02 10:00"))
    ]


def test_organizer_sets_requirement_and_sees_everyone(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event, organizer = world["event"], as_user(app, world["users"]["organizer"])
    services.set_availability(
        event=event,
        speaker=world["profile"],
        ranges=[(local(event, "2030-02-02 09:00"), local(event, "2030-02-02 10:00"))],
    )
    response = organizer.post("/orga/conf/availability", data={"required": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(event), event.id).availability_required is True
    page = squash(organizer.get("/orga/conf/availability").get_data(as_text=True))
    assert f"<td>Ada</td> <td>Sat 02 Feb 09:00{DASH}10:00</td>" in page
    checkbox = re.search(r'<input[^>]*name="required"[^>]*>', page)
    assert checkbox is not None and " checked" in checkbox.group(0)


def _speakers(event, count: int) -> None:  # type: ignore[no-untyped-def]
    for index in range(count):
        profile = make_speaker(f"Speaker {index}")
        SubmissionFactory(event=event, speaker=profile)
        services.set_availability(
            event=event,
            speaker=profile,
            ranges=[(local(event, "2030-02-02 09:00"), local(event, "2030-02-02 10:00"))],
        )


def test_organizer_overview_query_count_does_not_grow(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    organizer = as_user(app, world["users"]["organizer"])
    counts, given = [], []
    for extra in (2, 20):
        _speakers(world["event"], extra)
        with count_queries() as log:
            page = organizer.get("/orga/conf/availability").get_data(as_text=True)
        counts.append(log.count)
        given.append(page.count(f"Sat 02 Feb 09:00{DASH}10:00"))
    assert given == [2, 22]
    assert counts[0] == counts[1]


# -- the CfP form ------------------------------------------------------------------------------


def _proposal(**extra: str) -> dict[str, str]:
    return {
        "title": "Steam",
        "abstract": "About engines.",
        "duration_minutes": "30",
        "language": "en",
        "audience_level": "all",
        "action": "submit",
        **extra,
    }


def test_cfp_without_requirement_shows_no_rows(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    page = as_user(app, UserFactory()).get("/conf/submit").get_data(as_text=True)
    assert "When can you present?" not in page


def test_required_availability_is_asked_on_the_proposal_form(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event = world["event"]
    services.set_required(event=event, required=True)
    user = UserFactory()
    client = as_user(app, user)
    page = client.get("/conf/submit").get_data(as_text=True)
    assert "When can you present?" in page
    assert 'name="availability-ranges-0-start"' in page

    refused = client.post("/conf/submit", data=_proposal())
    assert refused.status_code == 400
    assert "Say when you can present: give at least one time range." in refused.get_data(
        as_text=True
    )
    assert (
        db.session.scalar(
            select(Submission).where(
                Submission.title == "Steam",
                Submission.event_id == event.id,
                Submission.state == "submitted",
            )
        )
        is None
    )

    more = client.post(
        "/conf/submit",
        data=_proposal(**rows(("2030-02-02", "09:00", "12:00"), prefix="availability-"))
        | {"availability-add_range": "1"},
    )
    assert more.status_code == 200
    assert 'name="availability-ranges-1-start"' in more.get_data(as_text=True)

    done = client.post(
        "/conf/submit",
        data=_proposal(**rows(("2030-02-02", "09:00", "12:00"), prefix="availability-")),
    )
    assert done.status_code == 302
    profile = db.session.scalar(
        select(type(world["profile"])).where(type(world["profile"]).user_id == user.id)
    )
    assert queries.ranges_of(event, profile.id) == [
        (local(event, "2030-02-02 09:00"), local(event, "2030-02-02 12:00"))
    ]
    # A second proposal shows what was given, and may keep it.
    page = client.get("/conf/submit").get_data(as_text=True)
    assert 'name="availability-ranges-0-start" type="time" value="09:00"' in page


def test_required_availability_allows_drafts_and_bad_rows_keep_the_text(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    services.set_required(event=world["event"], required=True)
    client = as_user(app, UserFactory())
    draft = client.post("/conf/submit", data=_proposal(action="draft", title="Draft talk"))
    assert draft.status_code == 302
    bad = client.post(
        "/conf/submit",
        data=_proposal(
            title="Typed title", **rows(("2030-02-02", "09:00", ""), prefix="availability-")
        ),
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "To: enter both times of the range, or neither." in page
    assert 'value="Typed title"' in page


def test_submitting_a_draft_needs_availability_when_required(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event = world["event"]
    user = UserFactory()
    client = as_user(app, user)
    client.post("/conf/submit", data=_proposal(action="draft", title="Draft talk"))
    services.set_required(event=event, required=True)
    draft = db.session.scalar(select(Submission).where(Submission.title == "Draft talk"))
    response = client.post(
        f"/conf/me/submissions/{draft.id}/edit", data=_proposal(title="Draft talk")
    )
    assert response.status_code == 400
    assert "Say when you can present: give at least one time range." in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Submission, draft.id).state == "draft"


# -- the schedule editor -----------------------------------------------------------------------


def test_editor_shows_availability_and_the_conflict(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event = world["event"]
    (room,) = make_rooms(event, 1)
    ada = make_speaker("Ada L")
    services.set_availability(
        event=event,
        speaker=ada,
        ranges=[(local(event, "2030-02-02 09:00"), local(event, "2030-02-02 11:00"))],
    )
    place(event, room, "2030-02-02 10:30", minutes=60, title="Late talk", speakers=(ada,))
    place(event, room, "2030-02-02 09:00", minutes=60, title="Fine talk", speakers=(ada,))
    page = squash(
        as_user(app, world["users"]["organizer"]).get("/orga/conf/schedule/").get_data(as_text=True)
    )
    assert page.count(f"Can present: Sat 02 Feb 09:00{DASH}11:00") == 2
    assert "“Late talk” is outside its speakers&#39; availability." in page
    assert "“Fine talk” is outside" not in page


def test_editor_query_count_does_not_grow_with_availability(app: Flask, world) -> None:  # type: ignore[no-untyped-def]
    event = world["event"]
    (room,) = make_rooms(event, 1)
    organizer = as_user(app, world["users"]["organizer"])
    counts = []
    for batch in range(2):
        for index in range(2 if batch == 0 else 12):
            speaker = make_speaker(f"S{batch}-{index}")
            services.set_availability(
                event=event,
                speaker=speaker,
                ranges=[(local(event, "2030-02-02 08:00"), local(event, "2030-02-02 20:00"))],
            )
            start = dt.datetime(2030, 2, 2, 8, tzinfo=dt.UTC) + dt.timedelta(
                minutes=30 * (index + 14 * batch)
            )
            place(event, room, start.strftime("%Y-%m-%d %H:%M"), speakers=(speaker,))
        with count_queries() as log:
            assert organizer.get("/orga/conf/schedule/").status_code == 200
        counts.append(log.count)
    assert counts[0] == counts[1]
