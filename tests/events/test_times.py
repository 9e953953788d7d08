"""Local wall-clock time versus UTC in an event's zone, and the CfP window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from podium.events.times import (
    AmbiguousLocalTimeError,
    LocalTimeError,
    cfp_is_open,
    describe_local,
    is_ambiguous,
    is_valid_time_zone,
    local_range_label,
    local_time_label,
    local_to_utc,
    offset_label,
    utc_to_local,
)


def test_local_to_utc_auckland_summer_is_thirteen_hours_ahead() -> None:
    instant = local_to_utc(datetime(2026, 12, 1, 23, 59), "Pacific/Auckland")  # noqa: DTZ001  wall-clock input

    assert instant == datetime(2026, 12, 1, 10, 59, tzinfo=UTC)


def test_local_to_utc_los_angeles_summer_is_seven_hours_behind() -> None:
    instant = local_to_utc(datetime(2026, 7, 15, 23, 59), "America/Los_Angeles")  # noqa: DTZ001

    assert instant == datetime(2026, 7, 16, 6, 59, tzinfo=UTC)


def test_local_to_utc_dst_gap_raises() -> None:
    # Europe/Brussels skips 02:00-03:00 on 2026-03-29.
    with pytest.raises(LocalTimeError, match="does not exist"):
        local_to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Brussels")  # noqa: DTZ001


def test_local_to_utc_ambiguous_hour_is_refused_until_fold_is_chosen() -> None:
    repeated = datetime(2026, 10, 25, 2, 30)  # noqa: DTZ001  wall-clock input
    with pytest.raises(AmbiguousLocalTimeError) as caught:
        local_to_utc(repeated, "Europe/Brussels")

    assert str(caught.value) == (
        "2026-10-25 02:30 happens twice in Europe/Brussels (clocks go back): "
        "choose the first (UTC+2) or the second (UTC+1) one."
    )
    assert caught.value.choices == [(0, "first (UTC+2)"), (1, "second (UTC+1)")]
    assert local_to_utc(repeated, "Europe/Brussels", fold=0) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    assert local_to_utc(repeated, "Europe/Brussels", fold=1) == datetime(
        2026, 10, 25, 1, 30, tzinfo=UTC
    )


def test_local_to_utc_fold_is_ignored_for_times_that_happen_once() -> None:
    plain = datetime(2025, 10, 26, 3, 0)  # noqa: DTZ001  just after the repeated hour
    assert local_to_utc(plain, "Europe/Berlin", fold=1) == datetime(2025, 10, 26, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("local", "zone", "ambiguous"),
    [
        (datetime(2025, 10, 26, 2, 0), "Europe/Berlin", True),  # noqa: DTZ001
        (datetime(2025, 10, 26, 2, 59), "Europe/Berlin", True),  # noqa: DTZ001
        (datetime(2025, 10, 26, 3, 0), "Europe/Berlin", False),  # noqa: DTZ001
        (datetime(2025, 10, 26, 1, 59), "Europe/Berlin", False),  # noqa: DTZ001
        (datetime(2025, 3, 30, 2, 30), "Europe/Berlin", False),  # noqa: DTZ001  skipped, not repeated
        (datetime(2025, 4, 6, 1, 30), "Australia/Lord_Howe", True),  # noqa: DTZ001  half hour back
        (datetime(2025, 4, 6, 1, 59), "Australia/Lord_Howe", True),  # noqa: DTZ001
        (datetime(2025, 4, 6, 2, 0), "Australia/Lord_Howe", False),  # noqa: DTZ001
        (datetime(2025, 4, 6, 1, 29), "Australia/Lord_Howe", False),  # noqa: DTZ001
    ],
)
def test_is_ambiguous_finds_repeated_wall_clock_times(
    local: datetime, zone: str, ambiguous: bool
) -> None:
    assert is_ambiguous(local, zone) is ambiguous


def test_local_to_utc_lord_howe_half_hour_gap_and_repeat() -> None:
    with pytest.raises(LocalTimeError, match="2025-10-05 02:15 does not exist"):
        local_to_utc(datetime(2025, 10, 5, 2, 15), "Australia/Lord_Howe")  # noqa: DTZ001
    with pytest.raises(AmbiguousLocalTimeError) as caught:
        local_to_utc(datetime(2025, 4, 6, 1, 45), "Australia/Lord_Howe")  # noqa: DTZ001
    assert caught.value.choices == [(0, "first (UTC+11)"), (1, "second (UTC+10:30)")]


def test_offset_label_forms() -> None:
    assert offset_label(datetime(2025, 1, 1, tzinfo=UTC)) == "UTC"
    assert offset_label(datetime(2025, 1, 1, tzinfo=ZoneInfo("Asia/Kolkata"))) == "UTC+5:30"
    assert offset_label(datetime(2025, 1, 1, tzinfo=ZoneInfo("America/St_Johns"))) == "UTC-3:30"
    assert offset_label(datetime(2025, 7, 1, tzinfo=ZoneInfo("Europe/Berlin"))) == "UTC+2"


def test_local_range_label_shows_offsets_only_where_they_matter() -> None:
    berlin = "Europe/Berlin"
    # A 60-minute slot from 02:30 CEST ends at 02:30 CET.
    start = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
    assert local_range_label(start, start + timedelta(minutes=60), berlin) == (
        "02:30 (UTC+2)\u201302:30 (UTC+1)"
    )
    # Crossing the change without a repeated end: 01:30-03:30 is three hours.
    night = datetime(2025, 10, 25, 23, 30, tzinfo=UTC)
    assert local_range_label(night, night + timedelta(hours=3), berlin) == (
        "01:30 (UTC+2)\u201303:30 (UTC+1)"
    )
    # Spring: 01:30-03:30 is one hour.
    spring = datetime(2025, 3, 30, 0, 30, tzinfo=UTC)
    assert local_range_label(spring, spring + timedelta(hours=1), berlin) == (
        "01:30 (UTC+1)\u201303:30 (UTC+2)"
    )
    ordinary = datetime(2025, 10, 25, 8, 0, tzinfo=UTC)
    assert local_range_label(ordinary, ordinary + timedelta(minutes=30), berlin) == (
        "10:00\u201310:30"
    )
    howe = datetime(2025, 4, 5, 14, 45, tzinfo=UTC)  # 01:45 UTC+11, the first 01:45
    assert local_range_label(howe, howe + timedelta(minutes=30), "Australia/Lord_Howe") == (
        "01:45 (UTC+11)\u201301:45 (UTC+10:30)"
    )


def test_local_time_label_adds_offset_to_repeated_times_only() -> None:
    second = datetime(2025, 10, 26, 1, 30, tzinfo=UTC)
    assert local_time_label(second, "Europe/Berlin") == "02:30 (UTC+1)"
    assert local_time_label(second + timedelta(hours=1), "Europe/Berlin") == "03:30"


def test_utc_to_local_round_trips() -> None:
    local = datetime(2026, 12, 1, 23, 59)  # noqa: DTZ001

    assert utc_to_local(local_to_utc(local, "Pacific/Auckland"), "Pacific/Auckland") == local
    assert utc_to_local(None, "UTC") is None


def test_describe_local_names_the_zone() -> None:
    text = describe_local(datetime(2026, 12, 1, 10, 59, tzinfo=UTC), "Pacific/Auckland")

    assert text == "2026-12-01 23:59 NZDT (Pacific/Auckland)"


@pytest.mark.parametrize(
    ("name", "valid"),
    [("Europe/Brussels", True), ("UTC", True), ("Mars/Olympus", False), ("", False)],
)
def test_is_valid_time_zone_knows_iana_names(name: str, valid: bool) -> None:
    assert is_valid_time_zone(name) is valid


def test_cfp_is_open_closing_instant_is_already_closed() -> None:
    opens = datetime(2026, 1, 1, tzinfo=UTC)
    closes = datetime(2026, 2, 1, tzinfo=UTC)

    assert cfp_is_open(opens, closes, now=opens) is True
    assert cfp_is_open(opens, closes, now=closes) is False
    assert cfp_is_open(None, closes, now=opens) is False
