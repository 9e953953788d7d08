"""JSON shapes of the API, built from an event row and a release snapshot (no database access).

Only what the public program shows goes in: every value comes either from the event's public
fields or from a published release's snapshot, which holds nothing private (no e-mail
addresses, notes, reviews or unpublished changes). The shapes are described by the component
schemas in :mod:`podium.api.openapi`; tests validate every response against them.

Instants are ISO 8601 strings with an explicit offset: ``*_utc`` in UTC (``+00:00``),
``*_local`` in the event's zone as frozen in the release. Durations are whole minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from podium.api.queries import ApiEvent
from podium.exchange.normalize import web_url
from podium.exchange.schedule_data import PersonData, SessionData
from podium.program.richtext import render_rich_text
from podium.program.timeline import ProgramData, speaker_ref
from podium.text import render_markdown

Url = Callable[..., str]
"""``url(endpoint, **values)``: an absolute URL (the views pass one built on ``BASE_URL``)."""


def release(event: ApiEvent) -> dict[str, Any] | None:
    """``{"version", "published_at"}`` of the event's current release, or None."""
    if event.release_version is None or event.published_at is None:
        return None
    return {"version": event.release_version, "published_at": iso(event.published_at, dt.UTC)}


def event_summary(event: ApiEvent, url: Url) -> dict[str, Any]:
    """An event as the events list shows it (live event fields and its current release)."""
    return {
        "slug": event.slug,
        "name": event.name,
        "time_zone": event.time_zone,
        "first_day": event.first_day.isoformat(),
        "last_day": event.last_day.isoformat(),
        "release": release(event),
        "links": {
            "website": event.url or None,
            "program": url("program.event", slug=event.slug),
            "self": url("api.get_event", slug=event.slug),
            "sessions": url("api.list_sessions", slug=event.slug),
            "speakers": url("api.list_speakers", slug=event.slug),
            "schedule_xml": url("program.export_xml", slug=event.slug),
            "schedule_json": url("program.export_json", slug=event.slug),
            "schedule_ics": url("program.export_ics", slug=event.slug),
        },
    }


def event_detail(event: ApiEvent, program: ProgramData | None, url: Url) -> dict[str, Any]:
    """One event with the tracks, rooms and session types of its current release.

    Without a release the three lists are empty: they are only public once published.
    """
    change = event.day_change_minutes or 0
    detail = event_summary(event, url)
    detail.update(
        description=event.description or "",
        description_html=str(render_markdown(event.description or "")),
        day_change=f"{change // 60:02d}:{change % 60:02d}",
        tracks=[],
        rooms=[],
        session_types=[],
    )
    if program is not None:
        data = program.data
        detail["tracks"] = [{"name": t.name, "color": t.color} for t in data.tracks]
        detail["rooms"] = [
            {"name": r.name, "guid": r.guid, "capacity": r.capacity} for r in data.all_rooms()
        ]
        names = sorted({s.session_type for s in data.sessions if s.session_type}, key=str.casefold)
        detail["session_types"] = [{"name": name} for name in names]
    return detail


def session(
    item: SessionData, program: ProgramData, slug: str, zone: ZoneInfo, url: Url
) -> dict[str, Any]:
    """One published session (see the ``Session`` schema)."""
    return {
        "id": item.id,
        "guid": item.guid,
        "title": item.title,
        "subtitle": item.subtitle,
        "abstract": item.abstract,
        "abstract_html": str(render_rich_text(item.abstract)),
        "description": item.description,
        "description_html": str(render_rich_text(item.description)),
        "track": item.track or None,
        "room": item.room,
        "session_type": item.session_type or None,
        "language": item.language or None,
        "day": program.data.day_of(item).isoformat(),
        "start_utc": iso(item.start_utc, dt.UTC),
        "end_utc": iso(item.end_utc, dt.UTC),
        "start_local": iso(item.start_utc, zone),
        "end_local": iso(item.end_utc, zone),
        "duration_minutes": item.duration_minutes,
        "do_not_record": item.do_not_record,
        "speakers": [speaker_brief(p, slug, url) for p in item.persons],
        "links": [{"title": title, "url": href} for title, href in item.links],
        "attachments": [{"title": title, "url": href} for title, href in item.attachments],
        "url": url("program.session", slug=slug, guid=item.guid),
        "answers": [
            {"question": question, "speaker": speaker or None, "answer": answer}
            for question, answer, speaker in program.answers.get(item.guid, ())
        ],
    }


def speaker_brief(person: PersonData, slug: str, url: Url) -> dict[str, Any]:
    """A speaker as a session lists them: id, public name and page."""
    ref = speaker_ref(person)
    return {"id": ref, "name": person.name, "url": url("program.speaker", slug=slug, ref=ref)}


def speaker(ref: str, person: PersonData, program: ProgramData, slug: str, url: Url) -> dict:
    """A speaker of the release: biography, picture URL (or None) and the guids of their
    sessions in time order."""
    found = speaker_brief(person, slug, url)
    found["biography"] = person.biography
    found["biography_html"] = str(render_rich_text(person.biography))
    found["avatar_url"] = web_url(person.avatar)
    found["sessions"] = [s.guid for s in program.speaker_sessions.get(ref, [])]
    return found


def iso(instant: dt.datetime, zone: dt.tzinfo) -> str:
    """``instant`` (aware) in ``zone`` as ISO 8601 with its offset, to the second."""
    return instant.astimezone(zone).replace(microsecond=0).isoformat()
