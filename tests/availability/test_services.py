"""Storing availability: merging, the event's days, the lock once the schedule is published,
and the one-query intersection the schedule editor uses."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from podium.availability import queries, services
from podium.availability.models import SpeakerAvailability
from podium.extensions import db
from podium.schedule.models import ScheduleRelease
from tests.schedule.builders import local, make_event, make_speaker, make_submission
from tests.support.queries import count_queries


def publish(event) -> None:  # type: ignore[no-untyped-def]
    db.session.add(ScheduleRelease(event_id=event.id, version=1, snapshot={}))
    db.session.commit()


def test_set_availability_merges_and_replaces(app: Flask) -> None:
    event = make_event()
    speaker = make_speaker("Ada")
    services.set_availability(
        event=event,
        speaker=speaker,
        ranges=[(local(event, "2030-02-02 08:00"), local(event, "2030-02-02 09:00"))],
    )
    stored = services.set_availability(
        event=event,
        speaker=speaker,
        ranges=[
            (local(event, "2030-02-02 10:00"), local(event, "2030-02-02 11:00")),
            (local(event, "2030-02-02 09:00"), local(event, "2030-02-02 10:30")),
            (local(event, "2030-02-03 14:00"), local(event, "2030-02-03 15:00")),
        ],
    )
    expected = [
        (local(event, "2030-02-02 09:00"), local(event, "2030-02-02 11:00")),
        (local(event, "2030-02-03 14:00"), local(event, "2030-02-03 15:00")),
    ]
    assert stored == expected
    assert queries.ranges_of(event, speaker.id) == expected
    assert db.session.scalar(select(db.func.count(SpeakerAvailability.id))) == 2
    # Stored as UTC instants: 09:00 in Brussels in February is 08:00 UTC.
    assert expected[0][0] == dt.datetime(2030, 2, 2, 8, tzinfo=dt.UTC)


def test_empty_ranges_remove_availability(app: Flask) -> None:
    event, speaker = make_event(), make_speaker("Ada")
    one = [(local(event, "2030-02-02 08:00"), local(event, "2030-02-02 09:00"))]
    services.set_availability(event=event, speaker=speaker, ranges=one)
    assert services.set_availability(event=event, speaker=speaker, ranges=[]) == []
    assert queries.ranges_of(event, speaker.id) == []


@pytest.mark.parametrize(
    ("start", "end"),
    [("2030-02-01 23:00", "2030-02-02 01:00"), ("2030-02-03 23:00", "2030-02-04 00:30")],
)
def test_ranges_outside_the_event_days_are_refused(app: Flask, start: str, end: str) -> None:
    event, speaker = make_event(), make_speaker("Ada")
    with pytest.raises(services.AvailabilityError) as caught:
        services.set_availability(
            event=event, speaker=speaker, ranges=[(local(event, start), local(event, end))]
        )
    assert (caught.value.field, caught.value.message) == (
        "ranges",
        "A range lies outside the event's days.",
    )
    assert queries.ranges_of(event, speaker.id) == []


def test_speakers_are_locked_out_once_the_schedule_is_published(app: Flask) -> None:
    event, speaker = make_event(), make_speaker("Ada")
    publish(event)
    ranges = [(local(event, "2030-02-02 08:00"), local(event, "2030-02-02 09:00"))]
    with pytest.raises(services.AvailabilityError) as caught:
        services.set_availability(event=event, speaker=speaker, ranges=ranges)
    assert (caught.value.field, caught.value.message) == (None, services.LOCKED_MESSAGE)
    # Organizers still can.
    assert (
        services.set_availability(event=event, speaker=speaker, ranges=ranges, by_organizer=True)
        == ranges
    )


def test_availability_by_submission_intersects_speakers_in_one_query(app: Flask) -> None:
    event, other_event = make_event(), make_event(slug="other")
    ada, bob, cy = make_speaker("Ada"), make_speaker("Bob"), make_speaker("Cy")
    both = make_submission(event, speakers=(ada, bob, cy))
    alone = make_submission(event, speakers=(ada,))
    nobody = make_submission(event, speakers=(cy,))
    apart = make_submission(event, speakers=(bob, ada))
    services.set_availability(
        event=event,
        speaker=ada,
        ranges=[(local(event, "2030-02-02 09:00"), local(event, "2030-02-02 12:00"))],
    )
    services.set_availability(
        event=event,
        speaker=bob,
        ranges=[
            (local(event, "2030-02-02 11:00"), local(event, "2030-02-02 15:00")),
        ],
    )
    # Another event's availability of the same speaker does not count here.
    services.set_availability(
        event=other_event,
        speaker=bob,
        ranges=[(local(event, "2030-02-02 08:00"), local(event, "2030-02-02 18:00"))],
    )
    db.session.refresh(event)  # as in a request, the event is loaded before
    with count_queries() as log:
        result = queries.availability_by_submission(event)
    assert log.count == 1
    assert result == {
        both.id: [(local(event, "2030-02-02 11:00"), local(event, "2030-02-02 12:00"))],
        alone.id: [(local(event, "2030-02-02 09:00"), local(event, "2030-02-02 12:00"))],
        apart.id: [(local(event, "2030-02-02 11:00"), local(event, "2030-02-02 12:00"))],
    }
    assert nobody.id not in result


def test_speakers_sharing_no_time_get_an_empty_list(app: Flask) -> None:
    event = make_event()
    ada, bob = make_speaker("Ada"), make_speaker("Bob")
    submission = make_submission(event, speakers=(ada, bob))
    for speaker, start, end in (
        (ada, "2030-02-02 09:00", "2030-02-02 10:00"),
        (bob, "2030-02-02 10:00", "2030-02-02 11:00"),
    ):
        services.set_availability(
            event=event, speaker=speaker, ranges=[(local(event, start), local(event, end))]
        )
    assert queries.availability_by_submission(event) == {submission.id: []}


def test_set_required_changes_the_event_setting(app: Flask) -> None:
    event = make_event()
    services.set_required(event=event, required=True)
    db.session.expire_all()
    assert db.session.get(type(event), event.id).availability_required is True
