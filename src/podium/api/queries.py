"""Database reads of the JSON API: one query per request; sessions come from release snapshots.

Both reads fetch an event together with its latest schedule release (without the snapshot).
The snapshot itself is loaded through :func:`podium.program.queries.program_data`, so the API
and the public program share one parsed copy per release in each worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, select

from podium.database import read_first
from podium.events.models import Event
from podium.extensions import db
from podium.program.queries import ProgramHead
from podium.schedule.models import ScheduleRelease


@dataclass(frozen=True)
class ApiEvent:
    """A public event's live fields and its latest release (None fields when unpublished).

    ``first_day``/``last_day`` are local dates in ``time_zone``; ``published_at`` is aware UTC.
    """

    event_id: int
    slug: str
    name: str
    time_zone: str
    first_day: dt.date
    last_day: dt.date
    url: str
    description: str
    day_change_minutes: int
    is_public: bool
    release_id: int | None
    release_version: int | None
    published_at: dt.datetime | None

    @property
    def head(self) -> ProgramHead:
        """The same event as the program's :class:`ProgramHead` (for its snapshot cache)."""
        return ProgramHead(
            event_id=self.event_id,
            slug=self.slug,
            name=self.name,
            time_zone=self.time_zone,
            is_public=self.is_public,
            release_id=self.release_id,
            version=self.release_version,
            published_at=self.published_at,
        )


def public_events() -> list[ApiEvent]:
    """Every public event with its latest release, newest first day first (ONE query)."""
    rows = db.session.execute(
        _statement().where(Event.is_public.is_(True)).order_by(Event.start_date.desc(), Event.slug)
    ).all()
    return [ApiEvent(*row) for row in rows]


def public_event(slug: str) -> ApiEvent | None:
    """The public event with ``slug`` and its latest release (ONE query), else None.

    A private event is None as well: the API must not reveal that it exists.
    """
    row = read_first(_one_statement(), {"slug": slug})  # see program.queries.program_head
    if row is None:
        return None
    found = ApiEvent(*row)
    return found if found.is_public else None


@cache
def _one_statement() -> Select[Any]:
    # Built once: constructing the statement costs more than running it (see program.queries).
    return _statement().where(Event.slug == bindparam("slug"))


def _statement() -> Select[Any]:
    latest = (
        select(func.max(ScheduleRelease.version))
        .where(ScheduleRelease.event_id == Event.id)
        .correlate(Event)
        .scalar_subquery()
    )
    return select(
        Event.id,
        Event.slug,
        Event.name,
        Event.time_zone,
        Event.start_date,
        Event.end_date,
        Event.url,
        Event.description,
        Event.day_change_minutes,
        Event.is_public,
        ScheduleRelease.id,
        ScheduleRelease.version,
        ScheduleRelease.published_at,
    ).outerjoin(
        ScheduleRelease,
        and_(ScheduleRelease.event_id == Event.id, ScheduleRelease.version == latest),
    )
