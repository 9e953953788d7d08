"""The agenda built from a release: order, overlaps, and the latest release's changes."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from podium.agenda import queries as agenda_queries
from podium.agenda.personal import build_agenda, feed_sessions
from podium.program import queries
from tests.agenda.builders import cancel, move, publish_program, release


def _agenda(slug: str, starred: set[str]):  # type: ignore[no-untyped-def]
    head = queries.program_head(slug)
    assert head is not None and head.release_id is not None
    program = queries.program_data(head)
    return program, build_agenda(
        program, starred, agenda_queries.release_changelog(head.release_id)
    )


def test_agenda_is_in_time_order_with_overlaps_named(app: Flask) -> None:
    p = publish_program()

    _, entries = _agenda("demo", {p.late, p.python, p.rust, p.keynote})

    assert [(e.title, e.overlaps, e.changes) for e in entries] == [
        ("Keynote", ("Rust in space",), ()),
        ("Rust in space", ("Keynote",), ()),
        ("Python at scale", (), ()),
        ("Midnight hack", (), ()),
    ]


def test_sessions_back_to_back_do_not_overlap(app: Flask) -> None:
    p = publish_program()
    move(p.slots["Python at scale"], -60)  # 10:00, right after the keynote
    release(p)

    _, entries = _agenda("demo", {p.keynote, p.python})

    assert [(e.title, e.overlaps) for e in entries] == [
        ("Keynote", ()),
        ("Python at scale", ()),
    ]


def test_moved_and_canceled_sessions_are_flagged(app: Flask) -> None:
    p = publish_program()
    move(p.slots["Python at scale"], 120)
    cancel(p.slots["Rust in space"])
    release(p)

    _, entries = _agenda("demo", {p.keynote, p.rust, p.python})

    utc = dt.UTC
    assert [(e.title, e.changes, e.canceled, e.start_utc) for e in entries] == [
        ("Keynote", (), False, dt.datetime(2030, 2, 2, 8, 0, tzinfo=utc)),
        ("Rust in space", ("canceled",), True, dt.datetime(2030, 2, 2, 8, 30, tzinfo=utc)),
        ("Python at scale", ("moved",), False, dt.datetime(2030, 2, 2, 12, 0, tzinfo=utc)),
    ]
    assert entries[2].was_start_utc == dt.datetime(2030, 2, 2, 10, 0, tzinfo=utc)
    # The canceled session no longer overlaps anything.
    assert entries[0].overlaps == ()


def test_changes_are_those_of_the_latest_release_only(app: Flask) -> None:
    p = publish_program()
    move(p.slots["Python at scale"], 120)
    cancel(p.slots["Rust in space"])
    release(p)
    release(p, allow_unchanged=True)  # nothing changed since

    _, entries = _agenda("demo", {p.rust, p.python})

    assert [(e.title, e.changes, e.canceled) for e in entries] == [
        ("Python at scale", (), False),
        ("", (), True),  # dropped two releases ago: still listed, its details are gone
    ]


def test_feed_sessions_leave_out_canceled_ones(app: Flask) -> None:
    p = publish_program()
    cancel(p.slots["Keynote"])
    release(p)
    program, _ = _agenda("demo", set())

    sessions = feed_sessions(program, {p.keynote, p.late, p.python})

    assert [s.title for s in sessions] == ["Python at scale", "Midnight hack"]
