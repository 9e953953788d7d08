"""c3voc schedule JSON version 2: parse into and write from ``ScheduleData``.

Format: https://c3voc.de/schedule/schema2.json ("alpha-3"; a copy is in
``tests/fixtures/schemas/schedule-schema2.json``). Unlike version 1 the events are one flat
list: ``{"schedule": {"version", "conference": {"acronym", "title", "start", "end",
"time_zone_name", "rooms": [...], "tracks": [...], "days": [{"index", "date", "start",
"end"}]}, "events": [{"guid", "start", "end", "room": {"guid", "name"}, "track": {"slug"},
"participants": [{"guid", "name", "role"}], ...}]}}``. Hub exports also list
``schedule.persons[]`` (guid, name, biography); we read and write it.

Reading is lenient where the meaning is clear: ``room`` and ``track`` as objects or plain
names, ``persons`` instead of ``participants``, ``duration`` (ISO 8601 ``PT1H30M`` or
``HH:MM``) instead of ``end``, localized texts (``{"en": ..., "de": ...}``: English, else the
first), rooms beside the conference, an event ``id`` when given. Breaks (``type`` BREAK or
META) and events in state CANCELED, DELETED, WITHDRAWN or REJECTED are not sessions: they
are left out and counted in ``ScheduleData.warnings``.

Writing produces a document that validates against the schema. Facts the schema has no
place for (an event's numeric id, its session type name when it is not one of the schema's
types, its recording opt-out, the day change) go under ``conference.meta.podium`` so a
Podium re-import restores them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from podium.exchange.errors import ScheduleImportError
from podium.exchange.kept import podium_meta
from podium.exchange.normalize import (
    MAX_DURATION_MINUTES,
    PODIUM_NAMESPACE,
    absolute_url,
    clean_line,
    clean_text,
    derive_day_change,
    duration_too_long,
    is_uuid,
    link_target,
    normalize_acronym,
    normalize_guid,
    parse_duration_minutes,
    room_guid,
    session_slug,
    slugify,
    strip_control,
    unique_session_ids,
    web_url,
    zone_name_for_offsets,
)
from podium.exchange.schedule_data import (
    Conference,
    Link,
    PersonData,
    RoomData,
    ScheduleData,
    SessionData,
    TrackData,
    parse_hhmm,
    zone,
)
from podium.exchange.schedule_json import parse_json_int
from podium.exchange.zones import zone_disagreement

__all__ = ["parse_schedule_v2", "schedule_v2_dict", "write_schedule_v2"]

SCHEMA_URL = "https://c3voc.de/schedule/schema2.json"
EVENT_TYPES = (
    "TALK",
    "WORKSHOP",
    "HANDS-ON",
    "MEETING",
    "DISCUSSION",
    "PERFORMANCE",
    "CONCERT",
    "GAME",
    "LIGHTNING_TALK",
    "OTHER",
)
NO_TRACK = "no-track"
"""Track slug written for a session without a track (the schema requires a track)."""
_NOT_SESSIONS = {"BREAK", "META"}
_FIELD_LINKS = {"FEEDBACK": "feedback_url", "ORIGIN": "origin_url"}
_NOT_IN_PROGRAM = {"CANCELED", "DELETED", "WITHDRAWN", "REJECTED"}
_ISO_DURATION = re.compile(
    r"P(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", re.IGNORECASE
)
_ACRONYM = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")
_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")
_SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
_LANGUAGE = re.compile(r"[a-z]{2}")
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")

# --------------------------------------------------------------------------- reading


def parse_schedule_v2(source: bytes | str, *, time_zone: str | None = None) -> ScheduleData:
    """Parse a c3voc schedule JSON version 2 document.

    Args:
        source: the document (UTF-8 bytes or text).
        time_zone: an IANA zone that overrides ``conference.time_zone_name``.

    Returns ``ScheduleData`` with UTC instants and whole-minute durations; ``warnings`` name
    the breaks and cancelled events left out.

    Raises:
        ScheduleImportError: invalid JSON, no ``schedule.events`` list, or an event value
            whose meaning is unclear; the message names the JSON path
            (``schedule.events[3].start``).
    """
    try:
        text = source.decode("utf-8-sig") if isinstance(source, bytes | bytearray) else source
        document = json.loads(text, parse_int=parse_json_int)
    except UnicodeDecodeError as exc:
        raise ScheduleImportError(
            _("not UTF-8 text (byte %(n)s)", n=exc.start), element="document"
        ) from exc
    except json.JSONDecodeError as exc:
        raise ScheduleImportError(
            _("not valid JSON: %(reason)s", reason=exc.msg), element="document", line=exc.lineno
        ) from exc
    except RecursionError:
        raise ScheduleImportError(
            _("arrays or objects nested too deeply"), element="document"
        ) from None
    return _Reader(document, time_zone).read()


def _fail(path: str, message: str) -> ScheduleImportError:
    return ScheduleImportError(message, element=path)


class _Reader:
    def __init__(self, document: Any, time_zone: str | None) -> None:
        schedule = document.get("schedule") if isinstance(document, dict) else None
        if not isinstance(schedule, dict) or not isinstance(schedule.get("events"), list):
            raise _fail("schedule.events", _("expected a list of events"))
        self.schedule: dict[str, Any] = schedule
        conf = schedule.get("conference")
        self.conf: dict[str, Any] = conf if isinstance(conf, dict) else {}
        meta = self.conf.get("meta")
        podium = meta.get("podium") if isinstance(meta, dict) else None
        self.meta: dict[str, Any] = podium if isinstance(podium, dict) else {}
        self.events: list[Any] = schedule["events"]
        self.acronym = normalize_acronym(
            _str(self.meta.get("slug")) or _str(self.conf.get("acronym"))
            or _str(self.conf.get("title")) or "conference"
        )  # fmt: skip
        self.base_url = _str(schedule.get("base_url")) or None
        self.warnings: list[str] = []
        self.zone_name = self._zone_name(time_zone)
        self.tz = zone(self.zone_name)

    def read(self) -> ScheduleData:
        rooms = self._rooms()
        tracks = self._tracks()
        people = self._people()
        event_meta = self.meta.get("events") if isinstance(self.meta.get("events"), dict) else {}
        sessions: list[SessionData] = []
        skipped: Counter[str] = Counter()
        guids: dict[str, int] = {}
        for index, event in enumerate(self.events):
            path = f"schedule.events[{index}]"
            if not isinstance(event, dict):
                raise _fail(path, _("expected an event object"))
            kind = _str(event.get("type")).upper()
            state = _str(event.get("state")).upper()
            if kind in _NOT_SESSIONS or state in _NOT_IN_PROGRAM:
                skipped[kind.lower() if kind in _NOT_SESSIONS else state.lower()] += 1
                continue
            session = self._session(event, path, index, rooms, tracks, people, event_meta)
            if session.guid in guids:
                raise _fail(
                    f"{path}.guid",
                    _(
                        "guid %(guid)s was already used by %(other)s",
                        guid=session.guid,
                        other="schedule.events[" + str(guids[session.guid]) + "]",
                    ),
                )
            guids[session.guid] = index
            sessions.append(session)
        if skipped and not sessions:
            listed = ", ".join(f"{count} {what}" for what, count in sorted(skipped.items()))
            raise _fail(
                "schedule.events",
                _(
                    "every event is a break or not in the program (%(listed)s); there is no "
                    "session to import",
                    listed=listed,
                ),
            )
        for what, count in sorted(skipped.items()):
            self.warnings.append(
                ngettext(
                    "%(num)d event of type or state %(what)s left out: not a session",
                    "%(num)d events of type or state %(what)s left out: not a session",
                    count,
                    what=what,
                )
            )
        for session in sessions:
            if session.room not in rooms:
                rooms[session.room] = RoomData(
                    name=session.room, guid=room_guid(None, acronym=self.acronym, name=session.room)
                )
        used = {s.track for s in sessions if s.track}
        for name in used - set(tracks):
            tracks[name] = TrackData(name=name)
        return ScheduleData(
            conference=self._conference(sessions),
            rooms=tuple(rooms.values()),
            sessions=tuple(sessions),
            tracks=tuple(tracks.values()),
            version=clean_line(_str(self.schedule.get("version"))),
            warnings=tuple(self.warnings),
        )

    # -- conference --------------------------------------------------------------------

    def _zone_name(self, override: str | None) -> str:
        name = override or _str(self.meta.get("time_zone")) or _str(self.conf.get("time_zone_name"))
        if name:
            try:
                zone(name)
            except ValueError as exc:
                raise _fail(
                    "schedule.conference.time_zone_name",
                    _("%(name)s is not an IANA time zone name", name=repr(name)),
                ) from exc
            if not override:
                warning = zone_disagreement(name, self._aware_values())
                if warning:
                    self.warnings.append(warning)
            return name
        offsets = [
            o
            for e in self.events
            if isinstance(e, dict)
            if (o := _offset(e.get("start"))) is not None
        ]
        derived = zone_name_for_offsets(offsets)
        if derived:
            return derived
        raise _fail(
            "schedule.conference",
            _(
                "no time_zone_name, and the UTC offsets in the file do not determine one; add "
                "time_zone_name or pass a time zone"
            ),
        )

    def _aware_values(self) -> Iterable[dt.datetime]:
        for event in self.events:
            for key in ("start", "end"):
                text = _str(event.get(key)) if isinstance(event, dict) else ""
                if "T" in text:
                    try:
                        yield dt.datetime.fromisoformat(text.strip())
                    except ValueError:
                        continue

    def _conference(self, sessions: list[SessionData]) -> Conference:
        days = [d for d in self.conf.get("days") or () if isinstance(d, dict)]
        if self.meta.get("day_change"):
            change = parse_hhmm(str(self.meta["day_change"]))
        else:
            change = derive_day_change(
                (self._local(d.get("start")), self._local(d.get("end"))) for d in days
            )
        dates = [_day_of(s.start_utc, self.tz, change) for s in sessions]
        for day in days:
            start = self._local(day.get("start"))
            if start is not None:
                dates.append(start.date() - dt.timedelta(days=1 if start.time() < change else 0))
            elif _date(day.get("date")):
                dates.append(_date(day.get("date")))  # type: ignore[arg-type]
        for key in ("start", "end"):
            if not dates and _date(self.conf.get(key)):
                dates.append(_date(self.conf.get(key)))  # type: ignore[arg-type]
        if not dates:
            raise _fail("schedule.conference.start", _("no events, no days and no start date"))
        return Conference(
            title=clean_line(_str(self.conf.get("title"))) or self.acronym,
            slug=self.acronym,
            time_zone=self.zone_name,
            start_date=min(dates),
            end_date=max(dates),
            day_change=change.strftime("%H:%M"),
            url=_str(self.conf.get("url")) or None,
            base_url=self.base_url,
            logo=self._url(_image(self.conf.get("logo"))),
            venue=clean_line(_str(self.meta.get("venue"))),
            city=clean_line(_str(self.meta.get("city"))),
            source_version=clean_line(_str(self.meta.get("source_version"))),
        )

    def _local(self, value: Any) -> dt.datetime | None:
        text = _str(value).strip()
        if "T" not in text:
            return None
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=self.tz)).astimezone(self.tz)

    def _rooms(self) -> dict[str, RoomData]:
        listed = self.conf.get("rooms")
        if not isinstance(listed, list):
            listed = self.schedule.get("rooms")
        rooms: dict[str, RoomData] = {}
        self.room_names: dict[str, str] = {}  # guid or slug -> name
        for room in listed if isinstance(listed, list) else ():
            if not isinstance(room, dict) or not clean_line(_str(room.get("name"))):
                continue
            name = clean_line(room["name"])
            capacity = room.get("capacity")
            data = RoomData(
                name=name,
                guid=room_guid(_str(room.get("guid")), acronym=self.acronym, name=name),
                capacity=int(capacity)
                if isinstance(capacity, int | float) and 0 <= capacity < 10**7
                else None,
            )
            rooms[name] = data
            for key in (_str(room.get("guid")), _str(room.get("slug")), data.guid):
                if key:
                    self.room_names[key.lower()] = name
        return rooms

    def _tracks(self) -> dict[str, TrackData]:
        tracks: dict[str, TrackData] = {}
        self.track_names: dict[str, str] = {}  # slug -> name
        for track in self.conf.get("tracks") or ():
            if not isinstance(track, dict):
                continue
            name = clean_line(_str(track.get("name")))
            slug = _str(track.get("slug"))
            if not name:
                continue
            color = _str(track.get("color"))
            tracks.setdefault(
                name,
                TrackData(
                    name=name,
                    slug=slug if _SLUG.fullmatch(slug) else None,
                    color=color.lower() if _HEX_COLOR.fullmatch(color) else None,
                ),
            )
            self.track_names[slug or slugify(name)] = name
        return tracks

    def _people(self) -> dict[str, dict[str, Any]]:
        people: dict[str, dict[str, Any]] = {}
        for person in self.schedule.get("persons") or ():
            if isinstance(person, dict) and _str(person.get("guid")):
                people[_str(person["guid"]).lower()] = person
        return people

    # -- events ------------------------------------------------------------------------

    def _session(
        self,
        event: dict[str, Any],
        path: str,
        index: int,
        rooms: dict[str, RoomData],
        tracks: dict[str, TrackData],
        people: dict[str, dict[str, Any]],
        event_meta: dict[str, Any],
    ) -> SessionData:
        title = clean_line(_text(event.get("title")))
        if not title:
            raise _fail(f"{path}.title", _("the event has no title"))
        start = self._instant(event.get("start"), f"{path}.start")
        if event.get("end"):
            end = self._instant(event.get("end"), f"{path}.end")
            if end < start:
                raise _fail(
                    f"{path}.end", _("%(value)s is before the start", value=repr(event["end"]))
                )
            minutes = round((end - start).total_seconds() / 60)
        elif event.get("duration"):
            minutes = _duration(event["duration"], f"{path}.duration")
        else:
            raise _fail(path, _('the event has neither "end" nor "duration"'))
        guid_raw = _str(event.get("guid"))
        extra = event_meta.get(guid_raw.lower(), {}) if guid_raw else {}
        extra = extra if isinstance(extra, dict) else {}
        local_id = _positive_int(extra.get("id")) or _positive_int(event.get("id")) or index + 1
        guid = normalize_guid(guid_raw, fallback_name=f"{self.acronym}/event/{local_id}")
        room = self._room_name(event.get("room"), f"{path}.room")
        if not room:
            raise _fail(f"{path}.room", _("the event has no room"))
        session_type = clean_line(_str(extra.get("type"))) or _type_name(_str(event.get("type")))
        url = _str(event.get("url")) or None
        if url == f"urn:uuid:{guid}":
            url = None  # our writer's stand-in for "no URL"
        return SessionData(
            guid=guid,
            id=local_id,
            title=title,
            start_utc=start,
            duration_minutes=minutes,
            room=room,
            slug=session_slug(
                _str(event.get("slug")),
                acronym=self.acronym,
                local_id=local_id,
                title=title,
                only="json",
            ),
            subtitle=clean_line(_text(event.get("subtitle"))),
            abstract=clean_text(_text(event.get("abstract"))),
            description=clean_text(_text(event.get("description"))),
            track=self._track_name(event.get("track")),
            session_type=session_type,
            language=(
                clean_line(_str(extra["language"])) or None
                if "language" in extra
                else clean_line(_str(event.get("language"))) or None
            ),
            persons=tuple(self._persons(event, people)),
            links=tuple(self._links(_untyped(event.get("links")))),
            attachments=tuple(self._links(event.get("attachments"))),
            do_not_record=extra.get("do_not_record") is True or event.get("do_not_record") is True,
            url=url,
            logo=self._url(_image(event.get("logo"))),
            feedback_url=self._url(_typed(event.get("links"), "FEEDBACK")),
            origin_url=self._url(_typed(event.get("links"), "ORIGIN")),
            recording_license=clean_line(_str(extra.get("recording_license"))),
            do_not_stream=extra.get("do_not_stream") is True,
        )

    def _url(self, value: str) -> str | None:
        return absolute_url(value, self.base_url) or (clean_line(value) or None)

    def _instant(self, value: Any, path: str) -> dt.datetime:
        try:
            parsed = dt.datetime.fromisoformat(_str(value).strip())
        except ValueError as exc:
            raise _fail(
                path, _("%(value)s is not an ISO 8601 date-time", value=repr(value))
            ) from exc
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.tz)
        return parsed.astimezone(dt.UTC)

    def _room_name(self, room: Any, path: str) -> str:
        if isinstance(room, str):
            return clean_line(room)
        if not isinstance(room, dict):
            return ""
        name = clean_line(_str(room.get("name")))
        for key in (_str(room.get("guid")), _str(room.get("slug"))):
            if not name and key:
                name = self.room_names.get(key.lower(), "")
        if not name and room.get("guid"):
            raise _fail(
                path, _("room %(guid)s is not in conference.rooms", guid=repr(room["guid"]))
            )
        return name

    def _track_name(self, track: Any) -> str | None:
        if isinstance(track, str):
            return clean_line(track) or None
        if not isinstance(track, dict):
            return None
        name = clean_line(_str(track.get("name")))
        slug = _str(track.get("slug"))
        if name:
            return name
        if slug == NO_TRACK:
            return None
        return self.track_names.get(slug) or clean_line(slug) or None

    def _persons(
        self, event: dict[str, Any], people: dict[str, dict[str, Any]]
    ) -> Iterable[PersonData]:
        listed = event.get("participants")
        if listed is None:
            listed = event.get("persons")
        for person in listed if isinstance(listed, list) else ():
            if isinstance(person, str):
                if clean_line(person):
                    yield PersonData(name=clean_line(person))
                continue
            if not isinstance(person, dict):
                continue
            raw_guid = _str(person.get("guid")).lower()
            full = {**people.get(raw_guid, {}), **person} if raw_guid else person
            name = clean_line(_str(full.get("name")) or _str(full.get("public_name")))
            if not name:
                continue
            person_id = _int_or_none(full.get("id"))
            guid = (
                normalize_guid(raw_guid, fallback_name=f"{self.acronym}/person")
                if raw_guid
                else None
            )
            if guid in (_person_guid(self.acronym, person_id), _name_guid(self.acronym, name)):
                guid = None  # our writer's stand-in guid for a person keyed by id or name
            yield PersonData(
                name=name,
                id=person_id,
                guid=guid,
                biography=clean_text(_text(full.get("biography"))),
                avatar=web_url(absolute_url(_str(full.get("avatar")), self.base_url)),
            )

    def _links(self, links: Any) -> Iterable[Link]:
        for link in links if isinstance(links, list) else ():
            if isinstance(link, str):
                href, title = link, ""
            elif isinstance(link, dict):
                href, title = _str(link.get("url") or link.get("href")), _str(link.get("title"))
            else:
                continue
            href = clean_line(href)
            if href:
                href = absolute_url(href, self.base_url) or href
                yield (clean_line(title) or href, href)


def _str(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value)


def _text(value: Any) -> str:
    """A LocalizableString: a string, or ``{"en": ..., "de": ...}`` (English, else the first)."""
    if isinstance(value, dict):
        if isinstance(value.get("en"), str):
            return value["en"]
        return next((v for v in value.values() if isinstance(v, str)), "")
    return _str(value)


def _image(value: Any) -> str:
    """An Image (``{"url": ...}``) or a plain URL string."""
    return _str(value.get("url")) if isinstance(value, dict) else _str(value)


def _typed(links: Any, kind: str) -> str:
    """The URL of the first link of this schema type (FEEDBACK, ORIGIN), or ""."""
    for link in links if isinstance(links, list) else ():
        if isinstance(link, dict) and _str(link.get("type")).upper() == kind:
            return _str(link.get("url"))
    return ""


def _untyped(links: Any) -> Any:
    """Links without the FEEDBACK and ORIGIN ones, which are fields of their own."""
    if not isinstance(links, list):
        return links
    return [
        link
        for link in links
        if not (isinstance(link, dict) and _str(link.get("type")).upper() in _FIELD_LINKS)
    ]


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) < 2**62:
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 18:
        return int(value)
    return None


def _positive_int(value: Any) -> int | None:
    number = _int_or_none(value)
    return number if number is not None and number >= 1 else None


def _duration(value: Any, path: str) -> int:
    """Whole minutes from an ISO 8601 duration (``PT1H30M``, ``P1DT2H``) or ``HH:MM``."""
    text = _str(value).strip()
    match = _ISO_DURATION.fullmatch(text)
    if not (match and any(match.groups())):
        try:
            return parse_duration_minutes(text)
        except ValueError as exc:
            raise _fail(path, str(exc)) from exc
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    total = round(days * 1440 + hours * 60 + minutes + seconds / 60)
    if total > MAX_DURATION_MINUTES:
        raise _fail(path, duration_too_long(text, total))
    return total


def _type_name(value: str) -> str:
    # Schema types are upper case codes; Podium shows session types as words.
    return value.replace("_", " ").capitalize() if value else ""


def _offset(value: Any) -> dt.timedelta | None:
    text = _str(value)
    if "T" not in text:
        return None
    try:
        return dt.datetime.fromisoformat(text.strip()).utcoffset()
    except ValueError:
        return None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(_str(value)[:10])
    except ValueError:
        return None


def _day_of(instant: dt.datetime, tz: dt.tzinfo, day_change: dt.time) -> dt.date:
    local = instant.astimezone(tz)
    return local.date() - dt.timedelta(days=1 if local.time() < day_change else 0)


def _person_guid(acronym: str, person_id: int | None) -> str | None:
    if person_id is None:
        return None
    return str(uuid.uuid5(PODIUM_NAMESPACE, f"{acronym}/person-id/{person_id}"))


def _name_guid(acronym: str, name: str) -> str:
    return str(uuid.uuid5(PODIUM_NAMESPACE, f"{acronym}/person-name/{name}"))


# --------------------------------------------------------------------------- writing


def write_schedule_v2(data: ScheduleData, *, generator_version: str = "") -> bytes:
    """Render ``data`` as UTF-8 schedule JSON version 2; see ``schedule_v2_dict``."""
    document = schedule_v2_dict(data, generator_version=generator_version)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def schedule_v2_dict(data: ScheduleData, *, generator_version: str = "") -> dict[str, Any]:
    """The schedule as a dict that validates against schedule-schema2.json.

    Events are in time order with ``start``/``end`` local to the conference zone (offset
    included); every speaker appears once in ``schedule.persons`` with their biography.
    A session's ``language`` is its two-letter code, else the most common one of the
    schedule, else ``en`` (the schema requires one). Its ``type`` is the schema type its
    session type names (``Talk`` -> TALK), else OTHER; the name itself is kept in
    ``conference.meta.podium.events``.
    """
    conf = data.conference
    tz = conf.tz
    base_url = absolute_url(conf.base_url, None)
    acronym = normalize_acronym(conf.slug)
    days = data.days(cover_sessions=True)
    rooms = data.all_rooms()
    ids = unique_session_ids(data.sessions)
    language = _default_language(data.sessions)
    track_slugs = {t.name: _track_slug(t) for t in data.tracks}
    conference: dict[str, Any] = {
        "acronym": acronym if _ACRONYM.match(acronym) else _v2_acronym(acronym),
        "title": _t(conf.title),
        "start": days[0].start_utc.astimezone(tz).isoformat(),
        "end": days[-1].end_utc.astimezone(tz).isoformat(),
    }
    if _ZONE_NAME.search(conf.time_zone):
        conference["time_zone_name"] = conf.time_zone
    url = absolute_url(conf.url, base_url)
    if url:
        conference["url"] = url
    conference["tracks"] = [_track(t, track_slugs[t.name]) for t in data.tracks]
    conference["rooms"] = [_room(r, acronym) for r in rooms]
    conference["days"] = [
        {
            "index": day.index,
            "date": day.date.isoformat(),
            "start": day.start_utc.astimezone(tz).isoformat(),
            "end": day.end_utc.astimezone(tz).isoformat(),
        }
        for day in days
    ]
    event_meta: dict[str, Any] = {}
    slugs: set[str] = set()
    events = []
    for session in data.sessions_sorted():
        event, extra = _event(
            session, conf, base_url, ids[session.guid], slugs, language, track_slugs, acronym
        )
        events.append(event)
        event_meta[event["guid"]] = extra
    logo = web_url(conf.logo)
    if logo:
        conference["logo"] = {"url": logo}
    # Version 2 has no venue or city; only Podium reads them back from here.
    podium = podium_meta(conf, slug=conf.slug)
    podium["events"] = event_meta
    conference["meta"] = {"podium": podium}
    schedule: dict[str, Any] = {"version": _t(data.version)}
    if base_url:
        schedule["base_url"] = base_url
    schedule["conference"] = conference
    schedule["events"] = events
    schedule["persons"] = [_person(p, acronym) for p in data.persons]
    generator = {"name": "podium", "version": generator_version}
    return {"$schema": SCHEMA_URL, "generator": generator, "schedule": schedule}


def _v2_acronym(acronym: str) -> str:
    candidate = acronym[0] + re.sub(r"[^a-z0-9_]", "_", acronym[1:])
    return candidate if _ACRONYM.match(candidate) else "conf_" + re.sub(r"\W", "_", acronym)


def _default_language(sessions: Iterable[SessionData]) -> str:
    counts = Counter(_language(s.language) for s in sessions)
    counts.pop(None, None)
    return counts.most_common(1)[0][0] if counts else "en"  # type: ignore[return-value]


def _language(value: str | None) -> str | None:
    code = (value or "").strip().lower()[:2]
    return code if _LANGUAGE.fullmatch(code) else None


def _track_slug(track: TrackData) -> str:
    slug = track.slug if track.slug and _SLUG.fullmatch(track.slug) else slugify(track.name)
    return slug if _SLUG.fullmatch(slug) and slug != NO_TRACK else f"track-{slug or 'x'}"


def _track(track: TrackData, slug: str) -> dict[str, Any]:
    result: dict[str, Any] = {"name": _t(track.name), "slug": slug}
    if track.color and _HEX_COLOR.fullmatch(track.color):
        result["color"] = track.color
    return result


def _room(room: RoomData, acronym: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "name": _t(room.name),
        "guid": room_guid(room.guid, acronym=acronym, name=room.name),
    }
    slug = slugify(room.name)
    if _SLUG.fullmatch(slug):
        result["slug"] = slug
    if room.capacity is not None:
        result["capacity"] = room.capacity
    return result


def _event(
    session: SessionData,
    conf: Conference,
    base_url: str | None,
    local_id: int,
    slugs: set[str],
    language: str,
    track_slugs: dict[str, str],
    acronym: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    tz = conf.tz
    guid = session.guid if is_uuid(session.guid) else normalize_guid(session.guid, fallback_name="")
    slug = session_slug(
        session.slug, acronym=conf.slug, local_id=local_id, title=session.title, only="json"
    )
    if slug in slugs:
        slug = f"{slug}-{local_id}"
    slugs.add(slug)
    code = session.session_type.upper().replace(" ", "_").replace("-", "_")
    code = "HANDS-ON" if code == "HANDS_ON" else code
    kind = code if code in EVENT_TYPES else "OTHER"
    room_guid_value = room_guid(None, acronym=acronym, name=session.room)
    track = track_slugs.get(session.track or "") or (
        _track_slug(TrackData(name=session.track)) if session.track else NO_TRACK
    )
    event = {
        "guid": guid,
        "start": session.start_utc.astimezone(tz).isoformat(),
        "end": session.end_utc.astimezone(tz).isoformat(),
        "room": {"name": _t(session.room), "guid": room_guid_value},
        "slug": slug,
        "url": absolute_url(session.url, base_url) or f"urn:uuid:{guid}",
        "title": _t(session.title),
        "subtitle": _t(session.subtitle),
        "track": {"slug": track},
        "type": kind,
        "language": _language(session.language) or language,
        "abstract": _t(session.abstract),
        "description": _t(session.description),
        "participants": [
            {"name": _t(p.name), "role": "SPEAKER", "guid": _guid_of(p, acronym)}
            for p in session.persons
        ],
        "links": _references(session.links, base_url) + _field_links(session),
        "attachments": _references(session.attachments, base_url),
    }
    logo = web_url(session.logo)
    if logo:
        event["logo"] = {"url": logo}
    extra: dict[str, Any] = {"id": local_id}
    if session.recording_license:
        extra["recording_license"] = session.recording_license
    if session.do_not_stream:
        extra["do_not_stream"] = True
    if session.session_type and session.session_type != _type_name(kind):
        extra["type"] = session.session_type
    if session.do_not_record:
        extra["do_not_record"] = True
    if session.language != event["language"]:
        extra["language"] = session.language
    return event, extra


def _field_links(session: SessionData) -> list[dict[str, Any]]:
    # Version 2 has no feedback_url/origin_url fields but typed links for them.
    result = []
    for kind, key in _FIELD_LINKS.items():
        url = web_url(getattr(session, key))
        if url:
            result.append({"type": kind, "title": kind.capitalize(), "url": url})
    return result


def _guid_of(person: PersonData, acronym: str) -> str:
    if person.guid and is_uuid(person.guid):
        return person.guid
    return _person_guid(acronym, person.id) or _name_guid(acronym, person.name)


def _person(person: PersonData, acronym: str) -> dict[str, Any]:
    result: dict[str, Any] = {"guid": _guid_of(person, acronym), "name": _t(person.name)}
    if person.id is not None:
        result["id"] = person.id
    result["biography"] = _t(person.biography)
    avatar = web_url(person.avatar)
    if avatar:
        result["avatar"] = avatar
    return result


def _references(links: Iterable[Link], base_url: str | None) -> list[dict[str, Any]]:
    # The schema wants absolute URIs; a relative link no base URL anchors is left out.
    result = []
    for title, href in links:
        target = link_target(href, base_url)
        if target and web_url(target):
            result.append({"title": _t(title), "url": target})
    return result


def _t(text: str | None) -> str:
    return strip_control(text or "")
