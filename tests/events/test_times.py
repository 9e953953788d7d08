"""Local wall-clock time versus UTC in an event's zone, and the CfP window."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from podium.events.times import (
    LocalTimeError,
    cfp_is_open,
    describe_local,
    is_valid_time_zone,
    local_to_utc,
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


def test_local_to_utc_ambiguous_hour_takes_first_occurrence() -> None:
    instant = local_to_utc(datetime(2026, 10, 25, 2, 30), "Europe/Brussels")  # noqa: DTZ001

    assert instant == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


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
