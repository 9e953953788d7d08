"""Database reads of the public program: one small query per request on the cached path."""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import current_app, g
from sqlalchemy import Select, and_, bindparam, func, select
from sqlalchemy.orm import defer

from podium.database import read_first
from podium.events.models import Event
from podium.exchange.rebase import base_tag, current_base_url, rebase_snapshot
from podium.extensions import db
from podium.program.cache import caches
from podium.program.http import release_memory
from podium.program.timeline import ProgramData
from podium.schedule.models import ScheduleRelease


@dataclass(frozen=True)
class ProgramHead:
    """An event and its latest release, as one row (no snapshot).

    ``release_id``/``version``/``published_at`` are None when nothing is published yet;
    ``published_at`` is aware UTC.
    """

    event_id: int
    slug: str
    name: str
    time_zone: str
    is_public: bool
    release_id: int | None
    version: int | None
    published_at: dt.datetime | None
    default_language: str = "en"

    @property
    def release_key(self) -> str:
        """Identifies the release across workers and database id reuse, and the address it is
        served under (its URLs follow ``BASE_URL``): ``"<id>.<µs>.<base tag>"``."""
        if self.release_id is None or self.published_at is None:
            return "none"
        published = int(self.published_at.timestamp() * 1_000_000)
        return f"{self.release_id}.{published}.{base_tag()}"


def program_head(slug: str) -> ProgramHead | None:
    """The event with ``slug`` and its latest release in ONE query, or None."""
    # Core execution on the autocommit reader: the ORM session cost as much as the query
    # itself on the cached path, and its transaction and pre-ping three more round trips.
    # Still one query per request, so a release published by any process shows at once.
    row = read_first(_head_statement(), {"slug": slug})
    if row is None:
        return None
    head = ProgramHead(*row)
    # The language selector falls back on it; recorded here, it costs no second query.
    g.event_language = head.default_language
    return head


@cache
def _head_statement() -> Select[Any]:
    # Built once: constructing the statement cost more than running it on every request.
    latest = (
        select(func.max(ScheduleRelease.version))
        .where(ScheduleRelease.event_id == Event.id)
        .correlate(Event)
        .scalar_subquery()
    )
    return (
        select(
            Event.id,
            Event.slug,
            Event.name,
            Event.time_zone,
            Event.is_public,
            ScheduleRelease.id,
            ScheduleRelease.version,
            ScheduleRelease.published_at,
            Event.default_language,
        )
        .outerjoin(
            ScheduleRelease,
            and_(ScheduleRelease.event_id == Event.id, ScheduleRelease.version == latest),
        )
        .where(Event.slug == bindparam("slug"))
    )


def program_data(head: ProgramHead) -> ProgramData:
    """The indexed snapshot of ``head``'s release (one query on a cache miss, none on a hit).

    Raises:
        LookupError: the event has no release.
    """
    if head.release_id is None:
        raise LookupError(f"event {head.slug} has no published schedule")
    key = head.release_key

    def load() -> ProgramData:
        snapshot = db.session.scalar(
            select(ScheduleRelease.snapshot).where(ScheduleRelease.id == head.release_id)
        )
        program = ProgramData.from_snapshot(rebase_snapshot(snapshot or {}, current_base_url()))
        # The indexed release is a large, long-lived object graph: without this, every full
        # garbage collection walks it again (~50 ms for FOSDEM), which showed up as p99 stalls
        # of cached requests. Frozen objects are still freed by reference counting (the index
        # has no reference cycles). Tests skip it: they build hundreds of apps in one process.
        if not current_app.testing:
            gc.freeze()
        # The snapshot's JSON text and parse were large and short-lived.
        release_memory()
        return program

    return caches().snapshots.get_or_build(key, load)  # type: ignore[return-value]


def event_row(event_id: int) -> Event | None:
    """The full event (for its description on the event page)."""
    return db.session.get(Event, event_id)


def releases_of(event_id: int) -> list[ScheduleRelease]:
    """The event's releases, newest first, without their snapshots (one query)."""
    return list(
        db.session.scalars(
            select(ScheduleRelease)
            .where(ScheduleRelease.event_id == event_id)
            .options(defer(ScheduleRelease.snapshot))
            .order_by(ScheduleRelease.version.desc())
        )
    )
