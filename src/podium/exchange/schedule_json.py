"""Schedule JSON in the frab/pretalx shape: parse into and write from ``ScheduleData``.

Format: c3voc schedule JSON version 1 (https://c3voc.de/schedule/schema.json, a copy is in
``tests/fixtures/schemas/schedule-schema1.json``): ``{"schedule": {"version", "base_url",
"conference": {..., "rooms": [...], "days": [{"index", "date", "day_start", "day_end",
"rooms": {room name: [event, ...]}}]}}}``.

Reading is lenient where the meaning is clear (numeric ids given as strings, ``HH:MM:SS``
durations, no ``time_zone_name``: the zone follows from the offsets, rooms listed beside rather
than inside ``conference``, ``public_name`` or ``name`` for people) and precise where it is not:
``ScheduleImportError`` names the JSON path of the element and its line.

Writing produces JSON that validates against schema 1. Values the schema cannot hold
(an acronym with dashes in the wrong place, a fixed-offset zone name, the day change) are
also kept under ``conference.meta.podium`` so a Podium re-import restores them exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import gettext as _

from podium.exchange.errors import ScheduleImportError
from podium.exchange.identities import (
    MAX_CAPACITY,
    date_out_of_range,
    id_out_of_range,
    id_text_out_of_range,
)
from podium.exchange.kept import podium_meta
from podium.exchange.normalize import (
    absolute_url,
    clean_line,
    clean_text,
    derive_day_change,
    format_duration,
    is_uuid,
    link_target,
    normalize_acronym,
    normalize_guid,
    parse_duration_minutes,
    room_guid,
    session_slug,
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
from podium.exchange.zones import zone_disagreement, zone_for_city

__all__ = ["parse_schedule_json", "schedule_json_dict", "write_schedule_json"]

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
_ACRONYM = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")
_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")
_TRACK_SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_LINK_TYPES = {"slides", "paper", "web", "blog", "article", "media", "related", "activitypub"}

Path = tuple[str | int, ...]


# --------------------------------------------------------------------------- reading


def parse_schedule_json(source: bytes | str, *, time_zone: str | None = None) -> ScheduleData:
    """Parse a schedule JSON document (frab or pretalx flavour of schema version 1).

    Args:
        source: the document as bytes (UTF-8) or text.
        time_zone: an IANA zone that overrides ``time_zone_name``.

    Returns ``ScheduleData`` with UTC instants and whole-minute durations.

    Raises:
        ScheduleImportError: invalid JSON, or a value whose meaning is unclear; the message
            names the element's JSON path (``schedule.conference.days[0]...``) and its line.
    """
    try:
        text = source.decode("utf-8-sig") if isinstance(source, bytes | bytearray) else source
    except UnicodeDecodeError as exc:
        raise ScheduleImportError(
            _("not UTF-8 text (byte %(n)s)", n=exc.start), element="document"
        ) from exc
    try:
        document = json.loads(text, parse_int=parse_json_int)
    except json.JSONDecodeError as exc:
        raise ScheduleImportError(
            _("not valid JSON: %(reason)s", reason=exc.msg), element="document", line=exc.lineno
        ) from exc
    except RecursionError:
        # json's decoder recurses per nesting level; a hostile file of "[[[[..." exhausts it.
        raise ScheduleImportError(
            _("not a schedule: arrays or objects nested too deeply"), element="document"
        ) from None
    return _Reader(text, document, time_zone).read()


class _Reader:
    def __init__(self, text: str, document: Any, time_zone: str | None) -> None:
        self.text = text
        self.document = document
        if not isinstance(document, dict) or not isinstance(document.get("schedule"), dict):
            raise self.fail((), _('expected an object with a "schedule" object'))
        self.schedule: dict[str, Any] = document["schedule"]
        conference = self.schedule.get("conference")
        if not isinstance(conference, dict):
            raise self.fail(("schedule",), _('expected a "conference" object'))
        self.conf: dict[str, Any] = conference
        self.meta: dict[str, Any] = {}
        meta = conference.get("meta")
        if isinstance(meta, dict) and isinstance(meta.get("podium"), dict):
            self.meta = meta["podium"]
        days = conference.get("days", [])
        if not isinstance(days, list):
            raise self.fail(("schedule", "conference", "days"), _("expected a list of days"))
        self.days: list[Any] = days
        self.warnings: list[str] = []
        self.zone_name = self._zone_name(time_zone)
        self.tz = zone(self.zone_name)

    def fail(self, path: Path, message: str) -> ScheduleImportError:
        return ScheduleImportError(
            message, element=_path_name(path), line=_line_of(self.text, path)
        )

    def read(self) -> ScheduleData:
        conf = self.conf
        cpath: Path = ("schedule", "conference")
        acronym = normalize_acronym(
            _str(self.meta.get("slug")) or _str(conf.get("acronym")) or _str(conf.get("title"))
        )
        base_url = _str(self.schedule.get("base_url")) or None
        day_change = self._day_change()
        sessions, rooms = self._sessions(day_change, acronym, base_url)
        day_dates = [self._day_date(i, day, day_change) for i, day in enumerate(self.days)]
        dates = day_dates + [_day_of(s.start_utc, self.tz, day_change) for s in sessions]
        if not dates:
            start = _date(conf.get("start"))
            if start is None:
                raise self.fail((*cpath, "start"), _("no days and no start date"))
            dates = [start, _date(conf.get("end")) or start]
        conference = Conference(
            title=clean_line(_str(conf.get("title"))) or acronym,
            slug=acronym,
            time_zone=self.zone_name,
            start_date=min(dates),
            end_date=max(dates),
            day_change=day_change.strftime("%H:%M"),
            url=_str(conf.get("url")) or None,
            base_url=base_url,
            logo=absolute_url(_str(conf.get("logo")), base_url) or None,
            venue=clean_line(_str(self.meta.get("venue") or conf.get("venue"))),
            city=clean_line(_str(self.meta.get("city") or conf.get("city"))),
            source_version=clean_line(_str(self.meta.get("source_version"))),
        )
        return ScheduleData(
            conference=conference,
            rooms=tuple(rooms),
            sessions=tuple(sessions),
            tracks=tuple(self._tracks(sessions)),
            version=clean_line(_str(self.schedule.get("version"))),
            warnings=tuple(self.warnings),
        )

    # -- zone and days -----------------------------------------------------------------

    def _zone_name(self, override: str | None) -> str:
        path: Path = ("schedule", "conference", "time_zone_name")
        name = override or _str(self.meta.get("time_zone")) or _str(self.conf.get("time_zone_name"))
        if name:
            try:
                zone(name)
            except ValueError as exc:
                raise self.fail(
                    path, _("%(name)s is not an IANA time zone name", name=repr(name))
                ) from exc
            if not override:
                warning = zone_disagreement(name, self._aware_values())
                if warning:
                    self.warnings.append(warning)
            return name
        offsets = list(self._offsets())
        derived = zone_name_for_offsets(offsets)
        if derived:
            return derived
        city = _str(self.conf.get("city"))
        proposal = zone_for_city(city)
        if proposal:
            message = _(
                "no time_zone_name, and the UTC offsets in the file do not determine one; its "
                "city %(city)s suggests %(zone)s: choose that time zone",
                city=repr(city),
                zone=proposal,
            )
        else:
            message = _(
                "no time_zone_name, and the UTC offsets in the file do not determine one; add "
                "time_zone_name or pass a time zone"
            )
        error = self.fail(path[:-1], message)
        error.suggested_zone = proposal
        raise error

    def _aware_values(self) -> Iterable[dt.datetime]:
        for day in self.days:
            if not isinstance(day, dict):
                continue
            texts = [_str(day.get("day_start")), _str(day.get("day_end"))]
            rooms = day.get("rooms")
            for events in rooms.values() if isinstance(rooms, dict) else ():
                for event in events if isinstance(events, list) else ():
                    texts.append(_str(event.get("date")) if isinstance(event, dict) else "")
            for text in texts:
                if "T" in text:
                    try:
                        yield dt.datetime.fromisoformat(text.strip())
                    except ValueError:
                        continue

    def _offsets(self) -> Iterable[dt.timedelta]:
        for day in self.days:
            if not isinstance(day, dict):
                continue
            for key in ("day_start", "day_end"):
                offset = _offset(day.get(key))
                if offset is not None:
                    yield offset
            rooms = day.get("rooms")
            for events in rooms.values() if isinstance(rooms, dict) else ():
                for event in events if isinstance(events, list) else ():
                    offset = _offset(event.get("date")) if isinstance(event, dict) else None
                    if offset is not None:
                        yield offset

    def _instant(self, value: Any, path: Path) -> dt.datetime:
        try:
            parsed = dt.datetime.fromisoformat(_str(value).strip())
        except ValueError as exc:
            raise self.fail(
                path, _("%(value)s is not an ISO 8601 date-time", value=repr(value))
            ) from exc
        problem = date_out_of_range(parsed)
        if problem:
            raise self.fail(path, problem)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.tz)
        return parsed.astimezone(dt.UTC)

    def _day_change(self) -> dt.time:
        if self.meta.get("day_change"):
            return parse_hhmm(str(self.meta["day_change"]))
        return derive_day_change(
            (self._local(day, i, "day_start"), self._local(day, i, "day_end"))
            for i, day in enumerate(self.days)
            if isinstance(day, dict)
        )

    def _local(self, day: dict[str, Any], index: int, key: str) -> dt.datetime | None:
        if not day.get(key):
            return None
        path: Path = ("schedule", "conference", "days", index, key)
        return self._instant(day[key], path).astimezone(self.tz)

    def _day_date(self, index: int, day: Any, day_change: dt.time) -> dt.date:
        path: Path = ("schedule", "conference", "days", index)
        if not isinstance(day, dict):
            raise self.fail(path, _("expected a day object"))
        if day.get("day_start"):
            start = self._instant(day["day_start"], (*path, "day_start"))
            return _day_of(start, self.tz, day_change)
        date = _date(day.get("date"))
        if date is None:
            raise self.fail(
                (*path, "date"),
                _("%(value)s is not a YYYY-MM-DD date", value=repr(day.get("date"))),
            )
        problem = date_out_of_range(date)
        if problem:
            raise self.fail((*path, "date"), problem)
        return date

    # -- sessions ----------------------------------------------------------------------

    def _room_list(self, acronym: str) -> dict[str, RoomData]:
        rooms: dict[str, RoomData] = {}
        # The schema puts rooms in the conference; some exports put them beside it.
        listed = self.conf.get("rooms")
        path: Path = ("schedule", "conference", "rooms")
        if listed is None:
            listed, path = self.schedule.get("rooms"), ("schedule", "rooms")
        for i, room in enumerate(listed if isinstance(listed, list) else ()):
            if not isinstance(room, dict) or not clean_line(_str(room.get("name"))):
                raise self.fail((*path, i), _("expected a room object with a name"))
            name = clean_line(room["name"])
            capacity = room.get("capacity")
            known = isinstance(capacity, int | float) and not isinstance(capacity, bool)
            if known and not 0 <= capacity <= MAX_CAPACITY:
                # Also catches 1e400 (infinity), which int() cannot convert.
                raise self.fail(
                    (*path, i, "capacity"), _("out of range (0 to %(max)s)", max=MAX_CAPACITY)
                )
            rooms[name] = RoomData(
                name=name,
                guid=room_guid(_str(room.get("guid")), acronym=acronym, name=name),
                capacity=int(capacity) if known else None,
            )
        return rooms

    def _sessions(
        self, day_change: dt.time, acronym: str, base_url: str | None
    ) -> tuple[list[SessionData], list[RoomData]]:
        rooms = self._room_list(acronym)
        sessions: list[SessionData] = []
        slugs: set[str] = set()
        for d, day in enumerate(self.days):
            dpath: Path = ("schedule", "conference", "days", d)
            if not isinstance(day, dict):
                raise self.fail(dpath, _("expected a day object"))
            day_rooms = day.get("rooms", {})
            if not isinstance(day_rooms, dict):
                raise self.fail((*dpath, "rooms"), _("expected an object of room name -> events"))
            for room_name, events in day_rooms.items():
                rpath: Path = (*dpath, "rooms", room_name)
                if not isinstance(events, list):
                    raise self.fail(rpath, _("expected a list of events"))
                name = clean_line(room_name)
                if name and name not in rooms:
                    rooms[name] = RoomData(
                        name=name, guid=room_guid(None, acronym=acronym, name=name)
                    )
                for e, event in enumerate(events):
                    epath: Path = (*rpath, e)
                    # A repeated guid (merged files) is the importer's to separate.
                    session = self._session(event, epath, name, acronym, base_url)
                    if session.slug in slugs:
                        session = dataclasses.replace(session, slug=f"{session.slug}-{session.id}")
                    slugs.add(session.slug)
                    if session.room not in rooms:
                        rooms[session.room] = RoomData(
                            name=session.room,
                            guid=room_guid(None, acronym=acronym, name=session.room),
                        )
                    sessions.append(session)
        return sessions, list(rooms.values())

    def _session(
        self, event: Any, path: Path, block_name: str, acronym: str, base_url: str | None
    ) -> SessionData:
        if not isinstance(event, dict):
            raise self.fail(path, _("expected an event object"))
        local_id = self._int(event.get("id"), (*path, "id"), required=True)
        assert local_id is not None  # id 0 is valid (old pentabarf); _int refuses < 0
        title = clean_line(_str(event.get("title")))
        if not title:
            raise self.fail((*path, "title"), _("the event has no title"))
        room = block_name or clean_line(_str(event.get("room")))
        if "date" not in event:
            raise self.fail(path, _('the event has no "date"'))
        try:
            duration = parse_duration_minutes(_str(event.get("duration")))
        except ValueError as exc:
            raise self.fail((*path, "duration"), str(exc)) from exc
        url = absolute_url(_str(event.get("url")), base_url) or _str(event.get("url")) or None
        guid = normalize_guid(_str(event.get("guid")), fallback_name=f"{acronym}/event/{local_id}")
        if url == f"urn:uuid:{guid}":
            url = None  # our writer's stand-in for "no URL"
        return SessionData(
            guid=guid,
            id=local_id,
            title=title,
            start_utc=self._instant(event["date"], (*path, "date")),
            duration_minutes=duration,
            room=room,
            slug=session_slug(
                _str(event.get("slug")),
                acronym=acronym,
                local_id=local_id,
                title=title,
                only="json",
            ),
            subtitle=clean_line(_str(event.get("subtitle"))),
            abstract=clean_text(_str(event.get("abstract"))),
            description=clean_text(_str(event.get("description"))),
            track=clean_line(_str(event.get("track"))) or None,
            session_type=clean_line(_str(event.get("type"))),
            language=clean_line(_str(event.get("language"))) or None,
            persons=tuple(
                self._persons(event.get("persons"), (*path, "persons"), acronym, base_url)
            ),
            links=tuple(self._links(event.get("links"), (*path, "links"), base_url)),
            attachments=tuple(
                self._links(event.get("attachments"), (*path, "attachments"), base_url)
            ),
            do_not_record=event.get("do_not_record") is True,
            url=url,
            logo=absolute_url(_str(event.get("logo")), base_url) or None,
            feedback_url=absolute_url(_str(event.get("feedback_url")), base_url) or None,
            origin_url=absolute_url(_str(event.get("origin_url")), base_url) or None,
            recording_license=clean_line(_str(event.get("recording_license"))),
            do_not_stream=event.get("do_not_stream") is True,
        )

    def _int(
        self, value: Any, path: Path, *, required: bool = False, person: bool = False
    ) -> int | None:
        if value is None or value == "":
            if required:
                raise self.fail(path, _("missing; expected an integer"))
            return None
        if isinstance(value, bool):
            raise self.fail(path, _("%(value)s is not an integer", value=repr(value)))
        if isinstance(value, int):
            problem = id_out_of_range(value, person=person)
        elif (
            isinstance(value, str)
            and value.strip().isascii()
            and value.strip().lstrip("-").isdigit()
        ):
            # Also a _HugeInt: JSON digits too many for int(), kept as text by parse_json_int.
            problem = id_text_out_of_range(value, person=person)
        else:
            raise self.fail(path, _("%(value)s is not an integer", value=repr(_str(value)[:40])))
        if problem:
            raise self.fail(path, problem)
        return int(value)

    def _persons(
        self, persons: Any, path: Path, acronym: str, base_url: str | None
    ) -> Iterable[PersonData]:
        if persons is None:
            return
        if not isinstance(persons, list):
            raise self.fail(path, _("expected a list of persons"))
        for i, person in enumerate(persons):
            ppath: Path = (*path, i)
            if isinstance(person, str):
                yield PersonData(name=clean_line(person))
                continue
            if not isinstance(person, dict):
                raise self.fail(ppath, _("expected a person object"))
            name = clean_line(_str(person.get("name")) or _str(person.get("public_name")))
            if not name:
                raise self.fail(ppath, _('the person has neither "name" nor "public_name"'))
            raw_guid = _str(person.get("guid"))
            person_id = self._int(person.get("id"), (*ppath, "id"), person=True)
            code = _str(person.get("code")).strip()
            guid = None
            if raw_guid:
                guid = normalize_guid(raw_guid, fallback_name=f"{acronym}/person")
            elif person_id is None and code:
                # A pretalx speaker code is stable across exports: a better key than the name.
                guid = normalize_guid(None, fallback_name=f"{acronym}/person-code/{code}")
            yield PersonData(
                name=name,
                id=person_id,
                guid=guid,
                biography=clean_text(_str(person.get("biography"))),
                # The schema allows a URL relative to base_url; anything but http(s) is dropped.
                avatar=web_url(absolute_url(_str(person.get("avatar")), base_url)),
            )

    def _links(self, links: Any, path: Path, base_url: str | None) -> Iterable[Link]:
        if links is None:
            return
        if not isinstance(links, list):
            raise self.fail(path, _("expected a list of links"))
        for i, link in enumerate(links):
            if isinstance(link, str):
                href, title = link, ""
            elif isinstance(link, dict):
                href = _str(link.get("url") or link.get("href"))
                title = _str(link.get("title"))
            else:
                raise self.fail((*path, i), _("expected a link object with a url"))
            href = clean_line(href)
            if not href:
                continue
            href = absolute_url(href, base_url) or href
            yield (clean_line(title) or href, href)

    def _tracks(self, sessions: list[SessionData]) -> list[TrackData]:
        tracks: dict[str, TrackData] = {}
        for track in self.conf.get("tracks") or ():
            if not isinstance(track, dict):
                continue
            name = clean_line(_str(track.get("name")))
            if name and name not in tracks:
                slug, color = _str(track.get("slug")), _str(track.get("color"))
                tracks[name] = TrackData(
                    name=name,
                    slug=slug if _TRACK_SLUG.fullmatch(slug) else None,
                    color=color.lower() if _HEX_COLOR.fullmatch(color) else None,
                )
        for session in sessions:
            if session.track and session.track not in tracks:
                tracks[session.track] = TrackData(name=session.track)
        return list(tracks.values())


class _HugeInt(str):
    """A JSON integer too long to be any value we keep; ``_int`` reports it with its path."""


def parse_json_int(digits: str) -> int | str:
    """``json.loads``'s ``parse_int``: an int, or the digits as text past 40 of them.

    int() refuses more than 4,300 digits with a ValueError that names no field; keeping the
    text lets the reader say which field holds it.
    """
    return int(digits) if len(digits) <= 40 else _HugeInt(digits)


def _str(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(_str(value)[:10])
    except ValueError:
        return None


def _offset(value: Any) -> dt.timedelta | None:
    text = _str(value)
    if "T" not in text:
        return None
    try:
        return dt.datetime.fromisoformat(text.strip()).utcoffset()
    except ValueError:
        return None


def _day_of(instant: dt.datetime, tz: dt.tzinfo, day_change: dt.time) -> dt.date:
    local = instant.astimezone(tz)
    return local.date() - dt.timedelta(days=1 if local.time() < day_change else 0)


def _path_name(path: Path) -> str:
    """``("schedule", "days", 0, "id")`` -> ``schedule.days[0].id``."""
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_$][\w$]*", part):
            name += f".{part}" if name else part
        else:
            name += f"[{json.dumps(part, ensure_ascii=False)}]"
    return name or "document"


def _line_of(text: str, path: Path) -> int | None:
    """Line (1-based) where the value at ``path`` starts in ``text``, or None if not found.

    Only used to report errors, so a second scan of the text is acceptable.
    """
    decoder = json.JSONDecoder()
    ws = re.compile(r"\s*")
    pos = ws.match(text, 0).end()  # type: ignore[union-attr]
    try:
        for part in path:
            if isinstance(part, str):
                pos = _object_member(text, pos, part, decoder, ws)
            else:
                pos = _array_item(text, pos, part, decoder, ws)
            if pos < 0:
                return None
    except (ValueError, IndexError):
        return None
    return text.count("\n", 0, pos) + 1


def _object_member(text: str, pos: int, key: str, decoder: json.JSONDecoder, ws: Any) -> int:
    if text[pos] != "{":
        return -1
    pos = ws.match(text, pos + 1).end()
    while text[pos] != "}":
        name, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
        pos = ws.match(text, pos).end() + 1  # the colon
        pos = ws.match(text, pos).end()
        if name == key:
            return pos
        _value, pos = decoder.raw_decode(text, pos)
        pos = ws.match(text, pos).end()
        if text[pos] == ",":
            pos = ws.match(text, pos + 1).end()
    return -1


def _array_item(text: str, pos: int, index: int, decoder: json.JSONDecoder, ws: Any) -> int:
    if text[pos] != "[":
        return -1
    pos = ws.match(text, pos + 1).end()
    for _step in range(index):
        _value, pos = decoder.raw_decode(text, pos)
        pos = ws.match(text, pos).end()
        if text[pos] != ",":
            return -1
        pos = ws.match(text, pos + 1).end()
    return pos if text[pos] != "]" else -1


# --------------------------------------------------------------------------- writing


def write_schedule_json(data: ScheduleData, *, generator_version: str = "") -> bytes:
    """Render ``data`` as UTF-8 schedule JSON (schema version 1); see ``schedule_json_dict``."""
    document = schedule_json_dict(data, generator_version=generator_version)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def schedule_json_dict(data: ScheduleData, *, generator_version: str = "") -> dict[str, Any]:
    """The schedule JSON document as a dict that validates against schedule-schema1.json.

    Times are local to the conference zone with the offset in force at each instant.
    Control characters in user text are removed.
    """
    conf = data.conference
    tz = conf.tz
    base_url = absolute_url(conf.base_url, None)
    days = data.days(cover_sessions=True)
    by_day = data.sessions_by_day_and_room()
    rooms = data.all_rooms()
    acronym = normalize_acronym(conf.slug)
    json_acronym = acronym if _ACRONYM.match(acronym) else _json_acronym(acronym)
    conference: dict[str, Any] = {
        "acronym": json_acronym,
        "title": _t(conf.title),
        "start": days[0].date.isoformat(),
        "end": days[-1].date.isoformat(),
        "daysCount": len(days),
        "timeslot_duration": "00:05",
    }
    if _ZONE_NAME.search(conf.time_zone):
        conference["time_zone_name"] = conf.time_zone
    url = absolute_url(conf.url, base_url)
    if url:
        conference["url"] = url
    conference["tracks"] = [_track(t) for t in data.tracks]
    conference["rooms"] = [_room(r, acronym) for r in rooms]
    logo = web_url(conf.logo)
    if logo:
        conference["logo"] = logo
    # Schema 1 has no venue or city; only Podium reads them back from here.
    podium = podium_meta(conf, slug=acronym)
    conference["meta"] = {"podium": podium}
    ids = unique_session_ids(data.sessions)
    slugs: set[str] = set()
    conference["days"] = [
        {
            "index": day.index,
            "date": day.date.isoformat(),
            "day_start": day.start_utc.astimezone(tz).isoformat(),
            "day_end": day.end_utc.astimezone(tz).isoformat(),
            "rooms": {
                _t(room.name): [
                    _event(s, conf, base_url, ids[s.guid], slugs)
                    for s in by_day.get(day.date, {}).get(room.name, ())
                ]
                for room in rooms
            },
        }
        for day in days
    ]
    schedule: dict[str, Any] = {"version": _t(data.version)}
    if base_url:
        schedule["base_url"] = base_url
    schedule["conference"] = conference
    generator = {"name": "podium", "version": generator_version}
    return {"$schema": SCHEMA_URL, "generator": generator, "schedule": schedule}


def _json_acronym(acronym: str) -> str:
    # Schema 1 allows a dash only as the first character or before a year suffix.
    candidate = acronym[0] + re.sub(r"[^a-z0-9_]", "_", acronym[1:])
    return candidate if _ACRONYM.match(candidate) else "conf_" + re.sub(r"\W", "_", acronym)


def _track(track: TrackData) -> dict[str, Any]:
    result: dict[str, Any] = {"name": _t(track.name)}
    if track.slug and _TRACK_SLUG.fullmatch(track.slug):
        result["slug"] = track.slug
    if track.color and _HEX_COLOR.fullmatch(track.color):
        result["color"] = track.color
    return result


def _room(room: RoomData, acronym: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "name": _t(room.name),
        # The schema requires a room guid; derive a stable one when we have none.
        "guid": room_guid(room.guid, acronym=acronym, name=room.name),
    }
    if room.capacity is not None:
        result["capacity"] = room.capacity
    return result


def _event(
    session: SessionData,
    conf: Conference,
    base_url: str | None,
    local_id: int,
    slugs: set[str],
) -> dict[str, Any]:
    start = session.start_utc.astimezone(conf.tz)
    guid = session.guid if is_uuid(session.guid) else normalize_guid(session.guid, fallback_name="")
    slug = session_slug(
        session.slug, acronym=conf.slug, local_id=local_id, title=session.title, only="json"
    )
    if slug in slugs:
        slug = f"{slug}-{local_id}"
    slugs.add(slug)
    return {
        "guid": guid,
        "id": local_id,
        "date": start.isoformat(),
        "start": start.strftime("%H:%M"),
        "duration": format_duration(session.duration_minutes),
        "room": _t(session.room),
        "slug": slug,
        # Required by the schema; a URN names the session when it has no web page.
        "url": absolute_url(session.url, base_url) or f"urn:uuid:{guid}",
        "title": _t(session.title),
        "subtitle": _t(session.subtitle),
        "track": _t(session.track) if session.track else None,
        "type": _t(session.session_type),
        "language": _t(session.language) if session.language else None,
        "abstract": _t(session.abstract),
        "description": _t(session.description),
        "do_not_record": session.do_not_record,
        **_kept(session),
        "persons": [_person(p) for p in session.persons],
        "links": _references(session.links, base_url),
        "attachments": _references(session.attachments, base_url),
    }


def _kept(session: SessionData) -> dict[str, Any]:
    """Schema 1's optional event fields Podium keeps from imports, when set."""
    result: dict[str, Any] = {}
    for key in ("logo", "feedback_url", "origin_url"):
        url = web_url(getattr(session, key))
        if url:
            result[key] = url
    if session.recording_license:
        result["recording_license"] = _t(session.recording_license)
    if session.do_not_stream:
        result["do_not_stream"] = True
    return result


def _person(person: PersonData) -> dict[str, Any]:
    # Schema 1 says a person is exactly one of a frab person (id + public_name) or a pretalx
    # person (name); writing both shapes at once would match both and fail "oneOf".
    if person.id is not None:
        result: dict[str, Any] = {"id": person.id, "public_name": _t(person.name)}
    else:
        result = {"name": _t(person.name)}
    if person.guid and is_uuid(person.guid):
        result["guid"] = person.guid
    result["biography"] = _t(person.biography)
    avatar = web_url(person.avatar)
    if avatar:
        # Schema 1 (PretalxPerson) has "avatar": an absolute URL or null; sent only when known.
        result["avatar"] = avatar
    return result


def _references(links: Sequence[Link], base_url: str | None) -> list[dict[str, Any]]:
    # Links with a scheme other than http(s) (javascript:, data:) are left out.
    targets = ((title, link_target(href, base_url)) for title, href in links)
    return [{"title": _t(title), "url": url} for title, url in targets if url is not None]


def _t(text: str | None) -> str:
    return strip_control(text or "")
