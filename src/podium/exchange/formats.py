"""Which schedule format a file is, and parsing it with the right reader.

``parse_any`` recognises frab/pentabarf ``schedule.xml``, schedule JSON version 1 (days and
rooms), c3voc schedule JSON version 2 (a flat ``schedule.events[]``) and iCalendar, and
hands the bytes to that reader. A file that holds events but whose layout no reader knows is
refused with a ``ScheduleImportError`` that describes the layout it saw: importing it would
report "0 new" and publish an empty program.

Warnings every format shares (zero-length sessions) are added to ``ScheduleData.warnings``
here, after the reader's own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from lxml import etree

from podium.exchange.errors import ScheduleImportError
from podium.exchange.schedule_data import ScheduleData

__all__ = ["FORMAT_NAMES", "detect_format", "parse_any"]

FORMAT_NAMES = {
    "frab-xml": "frab/pentabarf schedule.xml",
    "schedule-json": "schedule JSON (version 1)",
    "schedule-json-v2": "c3voc schedule JSON version 2",
    "icalendar": "iCalendar",
}
"""Format key -> the name messages use."""

_BOM_AND_SPACE = b"\xef\xbb\xbf \t\r\n"
# Keys under which schedule tools put an event's title and its start.
_TITLE_KEYS = ("title", "name", "summary")
_START_KEYS = ("start", "date", "begin", "start_time", "startTime", "starts_at", "datetime")
_EVENT_TAGS = {"event", "session", "talk", "lecture", "vevent", "item"}
_SHAPE_KEYS = 6  # members named per object in a layout description
_SHAPE_DEPTH = 3


def detect_format(raw: bytes) -> str:
    """The format key (see ``FORMAT_NAMES``) of a schedule file, judged from its first bytes.

    ``BEGIN:VCALENDAR`` is iCalendar; ``{`` or ``[`` is JSON, version 2 when
    ``schedule.events`` is a list, else version 1; anything else is treated as XML.
    Raises ``ScheduleImportError`` for an empty file.
    """
    head = raw.lstrip(_BOM_AND_SPACE)
    if not head:
        raise ScheduleImportError(_("the file is empty"), element="document")
    if head[:15].upper() == b"BEGIN:VCALENDAR":
        return "icalendar"
    if head[:1] in (b"{", b"["):
        document = _json_or_none(raw)
        schedule = document.get("schedule") if isinstance(document, dict) else None
        if isinstance(schedule, dict) and isinstance(schedule.get("events"), list):
            return "schedule-json-v2"
        return "schedule-json"
    return "frab-xml"


def parse_any(raw: bytes, *, time_zone: str | None = None) -> ScheduleData:
    """Parse schedule bytes of any supported format into ``ScheduleData``.

    Args:
        raw: the file as uploaded.
        time_zone: an IANA zone overriding what the file declares (or standing in for it).

    Raises:
        ScheduleImportError: the file is not valid in its format, or it holds events and
            none was read (the message names the layout seen and the number of events).
    """
    kind = detect_format(raw)
    if kind == "schedule-json":
        _check_json_layout(raw)
    data = _reader(kind)(raw, time_zone=time_zone)
    if not data.sessions:
        found = count_events(raw, kind)
        if found:
            raise ScheduleImportError(
                ngettext(
                    "the file holds %(num)d event but none could be read: its layout "
                    "(%(layout)s) is not %(format)s as Podium reads it, so nothing was imported",
                    "the file holds %(num)d events but none could be read: its layout "
                    "(%(layout)s) is not %(format)s as Podium reads it, so nothing was imported",
                    found,
                    layout=describe_layout(raw, kind),
                    format=FORMAT_NAMES[kind],
                ),
                element="document",
            )
    return data.replace(warnings=(*data.warnings, *_common_warnings(data)))


def _check_json_layout(raw: bytes) -> None:
    """Refuse JSON that has neither schedule layout, naming what it has instead."""
    document = _json_or_none(raw)
    if document is None:
        return  # the reader reports the syntax error with its line
    schedule = document.get("schedule") if isinstance(document, dict) else None
    if isinstance(schedule, dict) and isinstance(schedule.get("conference"), dict):
        return
    found = count_events(raw, "schedule-json")
    expected = {
        "v1": '{"schedule": {"conference": {"days": [...]}}}',
        "v2": '{"schedule": {"events": [...]}}',
        "layout": describe_layout(raw, "schedule-json"),
    }
    if found:
        message = ngettext(
            "the file holds %(num)d event but is not a schedule Podium reads: expected "
            "schedule JSON (%(v1)s) or schedule JSON version 2 (%(v2)s), found %(layout)s",
            "the file holds %(num)d events but is not a schedule Podium reads: expected "
            "schedule JSON (%(v1)s) or schedule JSON version 2 (%(v2)s), found %(layout)s",
            found,
            **expected,
        )
    else:
        message = _(
            "the file is not a schedule Podium reads: expected schedule JSON (%(v1)s) or "
            "schedule JSON version 2 (%(v2)s), found %(layout)s",
            **expected,
        )
    raise ScheduleImportError(message, element="document")


def _reader(kind: str) -> Any:
    # Imported here so that importing this module stays cheap and cycle-free.
    if kind == "icalendar":
        from podium.exchange.ical_import import parse_ical

        return parse_ical
    if kind == "schedule-json-v2":
        from podium.exchange.schedule_v2 import parse_schedule_v2

        return parse_schedule_v2
    if kind == "schedule-json":
        from podium.exchange.schedule_json import parse_schedule_json

        return parse_schedule_json
    from podium.exchange.frab_xml import parse_frab_xml

    return parse_frab_xml


def _common_warnings(data: ScheduleData) -> Iterator[str]:
    for session in data.sessions:
        if session.duration_minutes == 0:
            yield _(
                "session %(guid)s (%(title)s) lasts 0 minutes; it was imported as a zero-length "
                "slot",
                guid=session.guid,
                title=repr(session.title[:80]),
            )


# --------------------------------------------------------------------------- counting


def count_events(raw: bytes, kind: str) -> int:
    """How many event-like records the file holds, whatever its layout (0 if unreadable).

    JSON: objects with a title-like and a start-like member (``title``/``name``/``summary``
    and ``start``/``date``/``begin``...). XML: elements named event, session, talk, lecture,
    vevent or item (any namespace). iCalendar: ``BEGIN:VEVENT`` lines.
    """
    if kind == "icalendar":
        return sum(1 for line in raw.splitlines() if line.strip().upper() == b"BEGIN:VEVENT")
    if kind.startswith("schedule-json"):
        return sum(1 for _ in _event_objects(_json_or_none(raw)))
    root = _xml_or_none(raw)
    if root is None:
        return 0
    return sum(1 for el in root.iter() if _local_name(el) in _EVENT_TAGS)


def _event_objects(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Event-like objects, innermost first: a conference with a title and a start that holds
    events is not itself counted."""
    if depth > 40:  # deeper than any schedule; a hostile file must not exhaust the stack
        return
    if isinstance(value, dict):
        inner = [e for member in value.values() for e in _event_objects(member, depth + 1)]
        if inner:
            yield from inner
        elif any(k in value for k in _TITLE_KEYS) and any(k in value for k in _START_KEYS):
            yield value
    elif isinstance(value, list):
        for item in value:
            yield from _event_objects(item, depth + 1)


def plural(count: int, noun: str) -> str:
    """``1 event``, ``2 events``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# --------------------------------------------------------------------------- describing


def describe_layout(raw: bytes, kind: str) -> str:
    """A short picture of the file's structure for error messages.

    JSON: members to a depth of three with list lengths, e.g.
    ``{"schedule": {"conference": {...}, "talks": [12 items]}}``. XML: the element paths
    that hold the events with their counts, e.g. ``<schedule>/<events>/<event> x12``.
    """
    if kind.startswith("schedule-json"):
        return "JSON " + _shape(_json_or_none(raw), 0)
    root = _xml_or_none(raw)
    if root is None:
        return "unreadable XML"
    paths: dict[str, int] = {}
    for element in root.iter():
        if _local_name(element) in _EVENT_TAGS:
            names = [f"<{_local_name(a)}>" for a in reversed(list(element.iterancestors()))]
            path = "/".join([*names, f"<{_local_name(element)}>"])
            paths[path] = paths.get(path, 0) + 1
    listed = ", ".join(f"{path} x{count}" for path, count in list(paths.items())[:3])
    return f"XML root <{_local_name(root)}>" + (f", events at {listed}" if listed else "")


def _shape(value: Any, depth: int) -> str:
    if isinstance(value, dict):
        if depth >= _SHAPE_DEPTH:
            return "{...}"
        keys = list(value)[:_SHAPE_KEYS]
        inner = ", ".join(f"{json.dumps(k)}: {_shape(value[k], depth + 1)}" for k in keys)
        more = ", ..." if len(value) > _SHAPE_KEYS else ""
        return "{" + inner + more + "}"
    if isinstance(value, list):
        return f"[{len(value)} items]"
    return type(value).__name__ if value is not None else "null"


# --------------------------------------------------------------------------- helpers


def _json_or_none(raw: bytes) -> Any:
    from podium.exchange.schedule_json import parse_json_int

    try:
        # Same integer hook as the reader: 5,000 digits must reach it to be named by field.
        return json.loads(raw.decode("utf-8-sig"), parse_int=parse_json_int)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None


def _xml_or_none(raw: bytes) -> etree._Element | None:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError:
        return None


def _local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return etree.QName(tag).localname.lower()
