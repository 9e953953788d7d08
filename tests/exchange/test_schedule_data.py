"""Tests for the neutral schedule model: snapshot round trip, conference days, persons."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from podium.exchange.schedule_data import (
    Conference,
    PersonData,
    RoomData,
    ScheduleData,
    SessionData,
    TrackData,
)

UTC = dt.UTC


def _conference(**changes: object) -> Conference:
    values: dict[str, object] = {
        "title": "Test Conf",
        "slug": "test-2025",
        "time_zone": "Europe/Berlin",
        "start_date": dt.date(2025, 10, 25),
        "end_date": dt.date(2025, 10, 26),
        "day_change": "04:00",
        "url": "https://example.org/",
        "base_url": "https://example.org/schedule/",
    }
    values.update(changes)
    return Conference(**values)  # type: ignore[arg-type]


def _session(**changes: object) -> SessionData:
    values: dict[str, object] = {
        "guid": "2f7a6c8e-5b7d-4a63-9d57-0c1b2a3d4e5f",
        "id": 7,
        "title": "Talk",
        "start_utc": dt.datetime(2025, 10, 25, 9, 0, tzinfo=UTC),
        "duration_minutes": 30,
        "room": "Hall A",
    }
    values.update(changes)
    return SessionData(**values)  # type: ignore[arg-type]


def test_snapshot_round_trip_through_json_is_exact() -> None:
    session = _session(
        subtitle="Sub",
        abstract="**bold** ✨ 日本語",
        description="desc\u00a0x",
        track="Kernel",
        session_type="Talk",
        language="en",
        persons=[PersonData(name="Ada", id=1, guid=None, biography="bio")],
        links=[("Slides", "https://example.org/s.pdf")],
        attachments=[("Paper", "/paper.pdf")],
        do_not_record=True,
        url="https://example.org/talk/7",
    )
    data = ScheduleData(
        conference=_conference(),
        rooms=[RoomData(name="Hall A", guid=None, capacity=120)],
        sessions=[session],
        tracks=[TrackData(name="Kernel", slug="kernel", color="#aabbcc")],
        version="1.2",
    )

    restored = ScheduleData.from_dict(json.loads(json.dumps(data.to_dict())))

    assert restored == data
    assert restored.sessions[0].start_utc.tzinfo is UTC


def test_session_naive_start_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        _session(start_utc=dt.datetime(2025, 1, 1, 9, 0))  # noqa: DTZ001 - the point of the test


def test_session_start_is_normalised_to_utc() -> None:
    plus_one = dt.timezone(dt.timedelta(hours=1))
    session = _session(start_utc=dt.datetime(2025, 2, 1, 10, 0, tzinfo=plus_one))
    assert session.start_utc == dt.datetime(2025, 2, 1, 9, 0, tzinfo=UTC)
    assert session.start_utc.utcoffset() == dt.timedelta(0)


def test_days_across_dst_end_have_23_and_25_hour_lengths() -> None:
    data = ScheduleData(conference=_conference())

    days = data.days()

    assert [d.date for d in days] == [dt.date(2025, 10, 25), dt.date(2025, 10, 26)]
    # 04:00 CEST on the 25th, 04:00 CET on the 26th and 27th.
    assert days[0].start_utc == dt.datetime(2025, 10, 25, 2, 0, tzinfo=UTC)
    assert days[0].end_utc == dt.datetime(2025, 10, 26, 3, 0, tzinfo=UTC)
    assert days[1].end_utc == dt.datetime(2025, 10, 27, 3, 0, tzinfo=UTC)
    assert days[0].end_utc - days[0].start_utc == dt.timedelta(hours=25)


def test_day_of_session_before_day_change_is_previous_day() -> None:
    data = ScheduleData(conference=_conference())
    late = _session(start_utc=dt.datetime(2025, 10, 26, 1, 30, tzinfo=UTC))  # 02:30 local
    morning = _session(start_utc=dt.datetime(2025, 10, 26, 3, 0, tzinfo=UTC))  # 04:00 local

    assert data.day_of(late) == dt.date(2025, 10, 25)
    assert data.day_of(morning) == dt.date(2025, 10, 26)


def test_sessions_by_day_and_room_groups_midnight_crossing_session_on_its_start_day() -> None:
    crossing = _session(start_utc=dt.datetime(2025, 10, 25, 21, 0, tzinfo=UTC), duration_minutes=90)
    data = ScheduleData(conference=_conference(), rooms=[RoomData("Hall A")], sessions=[crossing])

    grouped = data.sessions_by_day_and_room()

    assert grouped == {dt.date(2025, 10, 25): {"Hall A": [crossing]}, dt.date(2025, 10, 26): {}}


def test_persons_are_merged_by_key_and_keep_a_biography() -> None:
    first = _session(guid="a", persons=[PersonData(name="Ada", id=1)])
    second = _session(guid="b", persons=[PersonData(name="Ada L.", id=1, biography="Bio")])
    third = _session(guid="c", persons=[PersonData(name="Bob", guid="g-1")])
    data = ScheduleData(conference=_conference(), sessions=[first, second, third])

    assert data.persons == (
        PersonData(name="Ada L.", id=1, biography="Bio"),
        PersonData(name="Bob", guid="g-1"),
    )


def test_conference_unknown_zone_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        _conference(time_zone="Mars/Olympus")


def test_conference_day_change_is_normalised_to_hh_mm() -> None:
    assert _conference(day_change="09:00:00").day_change == "09:00"


def test_from_dict_ignores_extra_keys_other_features_store_in_a_snapshot() -> None:
    data = ScheduleData(conference=_conference(), sessions=[_session()])
    snapshot = {**data.to_dict(), "podium_blocks": [{"title": "Lunch"}]}

    assert ScheduleData.from_dict(snapshot) == data


def test_from_dict_refuses_another_format_tag() -> None:
    snapshot = {**ScheduleData(conference=_conference()).to_dict(), "format": "other/9"}

    with pytest.raises(ValueError, match="unsupported schedule snapshot format 'other/9'"):
        ScheduleData.from_dict(snapshot)


def test_person_avatar_round_trips_and_is_left_out_when_unknown() -> None:
    pictured = PersonData(name="Ada", guid="g-1", avatar="https://example.org/a.png")
    plain = PersonData(name="Bob", id=2)

    assert PersonData.from_dict(pictured.to_dict()) == pictured
    assert pictured.to_dict()["avatar"] == "https://example.org/a.png"
    # No key at all: a release without pictures keeps the snapshot it had before avatars.
    assert "avatar" not in plain.to_dict()
    assert PersonData.from_dict(plain.to_dict()) == plain


def test_old_snapshot_without_avatars_still_loads() -> None:
    old = {
        "format": "podium.schedule/1",
        "version": "3",
        "conference": _conference().to_dict(),
        "sessions": [
            {
                "guid": "a",
                "id": 7,
                "title": "Talk",
                "start_utc": "2025-10-25T09:00:00Z",
                "duration_minutes": 30,
                "room": "Hall A",
                "persons": [{"name": "Ada", "id": 1, "guid": None, "biography": "bio"}],
            }
        ],
    }

    data = ScheduleData.from_dict(old)

    assert data.persons == (PersonData(name="Ada", id=1, biography="bio"),)
    assert data.persons[0].avatar is None


def test_persons_merged_by_key_keep_an_avatar_given_in_any_session() -> None:
    first = _session(guid="a", persons=[PersonData(name="Ada", id=1, avatar="https://x.org/a")])
    second = _session(guid="b", persons=[PersonData(name="Ada L.", id=1, biography="Bio")])
    third = _session(guid="c", persons=[PersonData(name="Bob", guid="g-1")])
    fourth = _session(
        guid="d", persons=[PersonData(name="Bob", guid="g-1", avatar="https://x.org/b")]
    )
    data = ScheduleData(conference=_conference(), sessions=[first, second, third, fourth])

    assert data.persons == (
        PersonData(name="Ada L.", id=1, biography="Bio", avatar="https://x.org/a"),
        PersonData(name="Bob", guid="g-1", avatar="https://x.org/b"),
    )
