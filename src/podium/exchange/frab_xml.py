"""frab/pentabarf ``schedule.xml``: parse into and write from ``ScheduleData``.

Format: the c3voc schema (https://c3voc.de/schedule/schema.xsd, a copy is in
``tests/fixtures/schemas/schedule.xml.xsd``): ``<schedule>`` holds ``<version>``,
``<conference>`` and ``<day>`` elements; each day holds ``<room>`` blocks holding ``<event>``s.

Reading is lenient where the meaning is clear (no ``<time_zone_name>``: the zone follows from
the UTC offsets; ``HH:MM:SS`` durations; empty rooms; ``<link>`` with child elements; people
keyed by ``id`` or ``guid``; non-UUID guids; an event ``<room>`` that disagrees with its room
block) and strict where it is not: ``ScheduleImportError`` names the element and line.
Documents with a DTD or entity declarations are refused outright (no entity expansion, no
external entities, no network access).

Writing produces a document that validates against the XSD whatever the data holds: control
characters are stripped, relative URLs are made absolute or left out, slugs and ids are made
unique, and times are local to the conference zone with the offset in force at each instant.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable

from flask_babel import gettext as _
from lxml import etree

from podium.exchange.errors import ScheduleImportError
from podium.exchange.identities import date_out_of_range, id_text_out_of_range
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

__all__ = ["parse_frab_xml", "write_frab_xml"]

_TRUE = {"true", "1", "yes"}
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>")
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_TRACK_SLUG = re.compile(r"[a-z][a-z0-9-]+")
_MAX_DURATION = 99 * 60 + 59  # the XSD allows at most two hour digits


# --------------------------------------------------------------------------- reading


def parse_frab_xml(source: bytes | str, *, time_zone: str | None = None) -> ScheduleData:
    """Parse a frab/pentabarf ``schedule.xml`` document.

    Args:
        source: the document (bytes as read from a file, or text).
        time_zone: an IANA zone that overrides ``<time_zone_name>`` (for files without one
            whose offsets vary).

    Returns a ``ScheduleData`` with UTC instants, whole-minute durations, canonical UUID guids
    and slugs that fit the XSD.

    Raises:
        ScheduleImportError: the document is not well-formed, declares a DTD or entities, or
            an element has a value whose meaning is unclear; the message names the element
            and the line.
    """
    root = _parse_document(source)
    return _Reader(root, time_zone).read()


def _parse_document(source: bytes | str) -> etree._Element:
    raw = source.encode("utf-8") if isinstance(source, str) else bytes(source)
    if isinstance(source, str):
        # The text is now UTF-8 whatever its declaration said.
        raw = _XML_DECL.sub(b"", raw, count=1)
    for marker in (b"<!DOCTYPE", b"<!ENTITY"):
        position = raw.find(marker)
        if position >= 0:
            raise ScheduleImportError(
                _("document type declarations and entities are not accepted in schedule.xml"),
                element=f"<{marker[1:].decode()}>",
                line=raw.count(b"\n", 0, position) + 1,
            )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise ScheduleImportError(
            _("not well-formed XML: %(reason)s", reason=exc.msg),
            element="document",
            line=exc.lineno,
        ) from exc
    docinfo = root.getroottree().docinfo
    # Catches declarations the byte scan cannot see (UTF-16 documents).
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise ScheduleImportError(
            _("document type declarations and entities are not accepted in schedule.xml"),
            element="<!DOCTYPE>",
            line=1,
        )
    if root.tag != "schedule":
        raise ScheduleImportError(
            _("the root element is <%(tag)s>, expected <schedule>", tag=root.tag),
            element=f"<{root.tag}>",
            line=root.sourceline,
        )
    return root


def _fail(element: etree._Element, message: str) -> ScheduleImportError:
    return ScheduleImportError(message, element=f"<{element.tag}>", line=element.sourceline)


def _text(parent: etree._Element | None, tag: str) -> str:
    if parent is None:
        return ""
    child = parent.find(tag)
    return clean_text(child.text) if child is not None and child.text else ""


class _Reader:
    """One pass over a parsed document; holds the zone and day change once they are known."""

    def __init__(self, root: etree._Element, time_zone: str | None) -> None:
        self.root = root
        self.conf_el = root.find("conference")
        if self.conf_el is None:
            raise _fail(root, "no <conference> element")
        self.day_els = root.findall("day")
        self.base_url = _text(self.conf_el, "base_url") or None
        self.warnings: list[str] = []
        self.zone_name = self._zone_name(time_zone)
        self.tz = zone(self.zone_name)

    def read(self) -> ScheduleData:
        acronym = normalize_acronym(
            _text(self.conf_el, "acronym") or _text(self.conf_el, "title") or "conference"
        )
        title = clean_line(_text(self.conf_el, "title")) or acronym
        day_change = self._day_change()
        day_dates = [self._day_date(day, day_change) for day in self.day_els]
        sessions, rooms = self._sessions(day_dates, day_change, acronym)
        start_date, end_date = self._date_range(day_dates, sessions, day_change)
        base_url = self.base_url
        conference = Conference(
            title=title,
            slug=acronym,
            time_zone=self.zone_name,
            start_date=start_date,
            end_date=end_date,
            day_change=day_change.strftime("%H:%M"),
            url=_text(self.conf_el, "url") or _text(self.root, "url") or None,
            base_url=base_url,
            logo=_url(_text(self.conf_el, "logo"), base_url),
            venue=clean_line(_text(self.conf_el, "venue")),
            city=clean_line(_text(self.conf_el, "city")),
        )
        return ScheduleData(
            conference=conference,
            rooms=tuple(rooms),
            sessions=tuple(sessions),
            tracks=tuple(self._tracks(sessions)),
            version=clean_line(_text(self.root, "version")),
            warnings=tuple(self.warnings),
        )

    # -- zone and days -----------------------------------------------------------------

    def _zone_name(self, override: str | None) -> str:
        if override:
            return override if self._known_zone(override) else self._bad_zone(override, None)
        tz_el = self.conf_el.find("time_zone_name")
        name = clean_line(tz_el.text) if tz_el is not None else ""
        if name:
            if not self._known_zone(name):
                return self._bad_zone(name, tz_el)
            warning = zone_disagreement(name, self._aware_values())
            if warning:
                self.warnings.append(warning)
            return name
        offsets = list(self._offsets())
        derived = zone_name_for_offsets(offsets)
        if derived:
            return derived
        seen = ", ".join(sorted({_format_offset(o) for o in offsets})) or _("none")
        city = _text(self.conf_el, "city")
        proposal = zone_for_city(city)
        if proposal:
            message = _(
                "no <time_zone_name>, and the UTC offsets in the file (%(seen)s) do not "
                "determine one; its <city> %(city)s suggests %(zone)s: choose that time zone",
                seen=seen,
                city=repr(city),
                zone=proposal,
            )
        else:
            message = _(
                "no <time_zone_name>, and the UTC offsets in the file (%(seen)s) do not "
                "determine one; add <time_zone_name> or pass a time zone",
                seen=seen,
            )
        error = _fail(self.conf_el, message)
        error.suggested_zone = proposal
        raise error

    def _aware_values(self) -> Iterable[dt.datetime]:
        texts = [day.get(attr) for day in self.day_els for attr in ("start", "end")]
        texts += [el.text for el in self.root.iterfind("day/room/event/date")]
        for text in texts:
            if text and "T" in text:
                try:
                    yield dt.datetime.fromisoformat(text.strip())
                except ValueError:
                    continue

    @staticmethod
    def _known_zone(name: str) -> bool:
        try:
            zone(name)
        except ValueError:
            return False
        return True

    def _bad_zone(self, name: str, element: etree._Element | None) -> str:
        raise _fail(
            element if element is not None else self.conf_el,
            _("%(name)s is not an IANA time zone name", name=repr(name)),
        )

    def _offsets(self) -> Iterable[dt.timedelta]:
        for day in self.day_els:
            for attr in ("start", "end"):
                offset = _offset_of(day.get(attr))
                if offset is not None:
                    yield offset
        for date_el in self.root.iterfind("day/room/event/date"):
            offset = _offset_of(date_el.text)
            if offset is not None:
                yield offset

    def _instant(self, text: str | None, element: etree._Element, what: str) -> dt.datetime:
        value = (text or "").strip()
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise _fail(
                element,
                _("%(what)s %(value)s is not an ISO 8601 date-time", what=what, value=repr(value)),
            ) from exc
        problem = date_out_of_range(parsed)
        if problem:
            raise _fail(element, f"{what} {problem}")
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.tz)
        return parsed.astimezone(dt.UTC)

    def _day_change(self) -> dt.time:
        change_el = self.conf_el.find("day_change")
        if change_el is not None and (change_el.text or "").strip():
            try:
                return parse_hhmm(change_el.text or "")
            except ValueError as exc:
                raise _fail(
                    change_el, _("%(value)s is not HH:MM", value=repr(change_el.text))
                ) from exc
        return derive_day_change(
            (self._local(day, "start"), self._local(day, "end")) for day in self.day_els
        )

    def _local(self, day: etree._Element, attr: str) -> dt.datetime | None:
        value = day.get(attr)
        if not value:
            return None
        return self._instant(value, day, attr).astimezone(self.tz)

    def _day_date(self, day: etree._Element, day_change: dt.time) -> dt.date:
        # The start instant is more trustworthy than the label: debconf23 labels each day
        # with the UTC date of local midnight.
        if day.get("start"):
            start = self._instant(day.get("start"), day, "start")
            local = start.astimezone(self.tz)
            if local.time() < day_change:
                return local.date() - dt.timedelta(days=1)
            return local.date()
        try:
            date = dt.date.fromisoformat((day.get("date") or "").strip())
        except ValueError as exc:
            raise _fail(
                day, _("date %(value)s is not a YYYY-MM-DD date", value=repr(day.get("date")))
            ) from exc
        problem = date_out_of_range(date)
        if problem:
            raise _fail(day, f"date {problem}")
        return date

    def _date_range(
        self, day_dates: list[dt.date], sessions: list[SessionData], day_change: dt.time
    ) -> tuple[dt.date, dt.date]:
        dates = list(day_dates)
        for session in sessions:
            local = session.start_utc.astimezone(self.tz)
            shift = 1 if local.time() < day_change else 0
            dates.append(local.date() - dt.timedelta(days=shift))
        if dates:
            return min(dates), max(dates)
        start = _conference_date(self.conf_el, "start")
        end = _conference_date(self.conf_el, "end") or start
        if start is None or end is None:
            raise _fail(self.conf_el, _("no <day> elements and no <start> date"))
        return start, max(start, end)

    # -- sessions ----------------------------------------------------------------------

    def _sessions(
        self, day_dates: list[dt.date], day_change: dt.time, acronym: str
    ) -> tuple[list[SessionData], list[RoomData]]:
        rooms: dict[str, RoomData] = {}
        sessions: list[SessionData] = []
        slugs: set[str] = set()
        for day, day_date in zip(self.day_els, day_dates, strict=True):
            blocks: list[tuple[str, Iterable[etree._Element]]] = []
            for room_el in day.iterfind("room"):
                block_name = clean_line(room_el.get("name"))
                if block_name and block_name not in rooms:
                    rooms[block_name] = RoomData(
                        name=block_name,
                        guid=room_guid(room_el.get("guid"), acronym=acronym, name=block_name),
                    )
                blocks.append((block_name, room_el.iterfind("event")))
            # Some generators put events straight into <day>; their <room> says where.
            blocks.append(("", day.iterfind("event")))
            for block_name, events in blocks:
                for event in events:
                    # A repeated guid (merged files) is the importer's to separate.
                    session = self._session(event, block_name, day_date, day_change, acronym)
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
        self,
        event: etree._Element,
        block_name: str,
        day_date: dt.date,
        day_change: dt.time,
        acronym: str,
    ) -> SessionData:
        children = {child.tag: child for child in event if isinstance(child.tag, str)}
        local_id = _event_id(event)
        title = clean_line(_child_text(children, "title"))
        if not title:
            raise _fail(children.get("title", event), _("the event has no title"))
        room = block_name or clean_line(_child_text(children, "room"))
        if not room:
            raise _fail(children.get("room", event), _("the event has no room"))
        persons_el = children.get("persons")
        recording = children.get("recording")
        optout = _text(recording, "optout").lower() if recording is not None else ""
        return SessionData(
            guid=normalize_guid(event.get("guid"), fallback_name=f"{acronym}/event/{local_id}"),
            id=local_id,
            title=title,
            start_utc=self._event_start(event, children, day_date, day_change),
            duration_minutes=_event_duration(event, children),
            room=room,
            slug=session_slug(
                _child_text(children, "slug"),
                acronym=acronym,
                local_id=local_id,
                title=title,
                only="xml",
            ),
            subtitle=clean_line(_child_text(children, "subtitle")),
            abstract=clean_text(_child_text(children, "abstract")),
            description=clean_text(_child_text(children, "description")),
            track=clean_line(_child_text(children, "track")) or None,
            session_type=clean_line(_child_text(children, "type")),
            language=clean_line(_child_text(children, "language")) or None,
            persons=tuple(_persons(persons_el, acronym)) if persons_el is not None else (),
            links=tuple(_links(children.get("links"), "link", self.base_url)),
            attachments=tuple(_links(children.get("attachments"), "attachment", self.base_url)),
            do_not_record=optout in _TRUE,
            url=_url(_child_text(children, "url"), self.base_url),
            logo=_url(_child_text(children, "logo"), self.base_url),
            feedback_url=_url(_child_text(children, "feedback_url"), self.base_url),
            origin_url=_url(_child_text(children, "origin_url"), self.base_url),
            recording_license=clean_line(_text(recording, "license")),
        )

    def _event_start(
        self,
        event: etree._Element,
        children: dict[str, etree._Element],
        day_date: dt.date,
        day_change: dt.time,
    ) -> dt.datetime:
        date_el = children.get("date")
        if date_el is not None and "T" in (date_el.text or ""):
            return self._instant(date_el.text, date_el, "date")
        start_el = children.get("start")
        if start_el is None or not (start_el.text or "").strip():
            raise _fail(event, _("the event has neither a <date> date-time nor a <start> time"))
        try:
            start = parse_hhmm(start_el.text or "")
        except ValueError as exc:
            raise _fail(
                start_el, _("%(value)s is not a HH:MM time", value=repr(start_el.text))
            ) from exc
        # Without a full <date>, a start before the day change is after midnight of the day.
        calendar_day = day_date + dt.timedelta(days=1 if start < day_change else 0)
        return dt.datetime.combine(calendar_day, start, tzinfo=self.tz).astimezone(dt.UTC)

    def _tracks(self, sessions: list[SessionData]) -> list[TrackData]:
        tracks: dict[str, TrackData] = {}
        for track_el in self.conf_el.iterfind("track"):
            name = clean_line(track_el.get("name") or track_el.text)
            if name and name not in tracks:
                tracks[name] = _track(track_el, name)
        for session in sessions:
            if session.track and session.track not in tracks:
                tracks[session.track] = TrackData(name=session.track)
        return list(tracks.values())


def _offset_of(text: str | None) -> dt.timedelta | None:
    if not text or "T" not in text:
        return None
    try:
        return dt.datetime.fromisoformat(text.strip()).utcoffset()
    except ValueError:
        return None


def _format_offset(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _conference_date(conf: etree._Element, tag: str) -> dt.date | None:
    text = _text(conf, tag)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise _fail(conf.find(tag), _("%(value)s is not a date", value=repr(text))) from exc


def _track(track_el: etree._Element, name: str) -> TrackData:
    # Keep only values the schema accepts, so an export of this data says the same thing.
    slug = (track_el.get("slug") or "").strip()
    color = (track_el.get("color") or "").strip()
    return TrackData(
        name=name,
        slug=slug if _TRACK_SLUG.fullmatch(slug) else None,
        color=color.lower() if _HEX_COLOR.fullmatch(color) else None,
    )


def _child_text(children: dict[str, etree._Element], tag: str) -> str:
    element = children.get(tag)
    return element.text or "" if element is not None else ""


def _event_id(event: etree._Element) -> int:
    # id="0" is valid: old pentabarf files number from zero.
    raw = (event.get("id") or "").strip()
    if not raw.isascii() or not raw.isdigit():
        raise _fail(event, _("id %(value)s is not a whole number", value=repr(raw[:40])))
    problem = id_text_out_of_range(raw)
    if problem:
        raise _fail(event, f"id {problem}")
    return int(raw)


def _event_duration(event: etree._Element, children: dict[str, etree._Element]) -> int:
    duration_el = children.get("duration")
    if duration_el is None:
        raise _fail(event, _("the event has no <duration>"))
    try:
        return parse_duration_minutes(duration_el.text or "")
    except ValueError as exc:
        raise _fail(duration_el, str(exc)) from exc


def _persons(persons_el: etree._Element, acronym: str) -> Iterable[PersonData]:
    for person in persons_el.iterfind("person"):
        name = clean_line("".join(person.itertext()))
        if not name:
            # Nobody to show: an empty <person/> carries no speaker.
            continue
        raw_id = (person.get("id") or "").strip()
        if raw_id and not (raw_id.isascii() and raw_id.lstrip("-").isdigit()):
            raise _fail(person, _("id %(value)s is not an integer", value=repr(raw_id[:40])))
        problem = id_text_out_of_range(raw_id, person=True) if raw_id else None
        if problem:
            raise _fail(person, f"id {problem}")
        raw_guid = (person.get("guid") or "").strip()
        yield PersonData(
            name=name,
            id=int(raw_id) if raw_id else None,
            guid=normalize_guid(raw_guid, fallback_name=f"{acronym}/person") if raw_guid else None,
        )


def _url(raw: str | None, base_url: str | None) -> str | None:
    url = clean_line(raw)
    return (absolute_url(url, base_url) or url) if url else None


def _links(container: etree._Element | None, tag: str, base_url: str | None) -> Iterable[Link]:
    if container is None:
        return
    for link in container.iterfind(tag):
        href = clean_line(link.get("href") or _text(link, "url") or _text(link, "href"))
        if not href:
            # A link without a target carries nothing a reader could follow.
            continue
        # 39c3 puts <title>/<type> child elements inside <link> instead of text.
        title = clean_line(link.text) or clean_line(_text(link, "title")) or href
        yield (title, absolute_url(href, base_url) or href)


# --------------------------------------------------------------------------- writing


def write_frab_xml(data: ScheduleData, *, generator_version: str = "") -> bytes:
    """Render ``data`` as a UTF-8 ``schedule.xml`` that validates against the c3voc XSD.

    Times are written in the conference zone with the UTC offset in force at each instant
    (so an event after a DST change carries the new offset). All rooms appear in every day.
    Returns the serialized document (bytes, with an XML declaration).
    """
    conf = data.conference
    tz = conf.tz
    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name="podium", version=_x(generator_version))
    _sub(root, "version", data.version)
    _write_conference(root, data)

    ids = unique_session_ids(data.sessions)
    slugs: set[str] = set()
    by_day = data.sessions_by_day_and_room()
    rooms = data.all_rooms()
    for day in data.days(cover_sessions=True):
        day_el = etree.SubElement(
            root,
            "day",
            index=str(day.index),
            date=day.date.isoformat(),
            start=_local_iso(day.start_utc, tz),
            end=_local_iso(day.end_utc, tz),
        )
        rooms_today = by_day.get(day.date, {})
        for room in rooms:
            room_el = etree.SubElement(day_el, "room", name=_x(room.name))
            if room.guid and is_uuid(room.guid):
                room_el.set("guid", room.guid)
            for session in rooms_today.get(room.name, ()):
                _write_event(room_el, session, data, ids[session.guid], slugs)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _write_conference(root: etree._Element, data: ScheduleData) -> None:
    conf = data.conference
    conf_el = etree.SubElement(root, "conference")
    _sub(conf_el, "title", conf.title)
    _sub(conf_el, "acronym", normalize_acronym(conf.slug))
    days = data.days(cover_sessions=True)
    _sub(conf_el, "start", days[0].date.isoformat())
    _sub(conf_el, "end", days[-1].date.isoformat())
    _sub(conf_el, "days", str(len(days)))
    _sub(conf_el, "timeslot_duration", "00:05")
    base_url = absolute_url(conf.base_url, None)
    if base_url:
        _sub(conf_el, "base_url", base_url)
    url = absolute_url(conf.url, base_url)
    if url:
        _sub(conf_el, "url", url)
    logo = web_url(conf.logo)
    if logo:
        _sub(conf_el, "logo", logo)
    _sub(conf_el, "time_zone_name", conf.time_zone)
    for track in data.tracks:
        track_el = etree.SubElement(conf_el, "track", name=_x(track.name))
        if track.color and _HEX_COLOR.fullmatch(track.color):
            track_el.set("color", track.color)
        if track.slug and _TRACK_SLUG.fullmatch(track.slug):
            track_el.set("slug", track.slug)


def _write_event(
    room_el: etree._Element,
    session: SessionData,
    data: ScheduleData,
    local_id: int,
    slugs: set[str],
) -> None:
    conf = data.conference
    base_url = absolute_url(conf.base_url, None)
    guid = session.guid if is_uuid(session.guid) else normalize_guid(session.guid, fallback_name="")
    event = etree.SubElement(room_el, "event", guid=guid, id=str(local_id))
    start = session.start_utc.astimezone(conf.tz)
    _sub(event, "date", start.isoformat())
    _sub(event, "start", start.strftime("%H:%M"))
    _sub(event, "duration", format_duration(min(session.duration_minutes, _MAX_DURATION)))
    _sub(event, "room", session.room)
    slug = session_slug(
        session.slug, acronym=conf.slug, local_id=local_id, title=session.title, only="xml"
    )
    if slug in slugs:
        slug = f"{slug}-{local_id}"
    slugs.add(slug)
    _sub(event, "slug", slug)
    url = absolute_url(session.url, base_url)
    if url:
        _sub(event, "url", url)
    _sub(event, "title", session.title)
    _sub(event, "subtitle", session.subtitle)
    _sub(event, "track", session.track or "")
    _sub(event, "type", session.session_type)
    if session.language:
        _sub(event, "language", session.language)
    _sub(event, "abstract", session.abstract)
    _sub(event, "description", session.description)
    recording = etree.SubElement(event, "recording")
    _sub(recording, "license", session.recording_license)
    _sub(recording, "optout", "true" if session.do_not_record else "false")
    persons = etree.SubElement(event, "persons")
    for person in session.persons:
        person_el = _sub(persons, "person", person.name)
        if person.id is not None:
            person_el.set("id", str(person.id))
        if person.guid and is_uuid(person.guid):
            person_el.set("guid", person.guid)
    _write_links(event, "links", "link", session.links, base_url)
    _write_links(event, "attachments", "attachment", session.attachments, base_url)
    # xs:all: these may come in any order.
    for tag in ("logo", "feedback_url", "origin_url"):
        value = web_url(getattr(session, tag))
        if value:
            _sub(event, tag, value)


def _write_links(
    event: etree._Element, outer: str, inner: str, links: Iterable[Link], base_url: str | None
) -> None:
    container = etree.SubElement(event, outer)
    for title, href in links:
        # Relative links are kept relative only when no base URL can anchor them; the XSD
        # types href as a plain string, so either form validates. Other schemes
        # (javascript:, data:) are left out: schedule apps would open them.
        target = link_target(href, base_url)
        if target is not None:
            _sub(container, inner, title).set("href", target)


def _local_iso(instant: dt.datetime, tz: dt.tzinfo) -> str:
    return instant.astimezone(tz).isoformat()


def _x(text: str) -> str:
    return strip_control(text)


def _sub(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text:
        element.text = strip_control(text)
    return element
