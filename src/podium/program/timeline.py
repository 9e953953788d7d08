"""What the public pages show, computed from a release snapshot (no database access).

:class:`ProgramData` indexes one release's ``ScheduleData`` (plus its breaks and blocks);
:func:`day_grid` lays one conference day out as table rows (time) by columns (rooms) in any
display zone. Conference days always follow the event's zone and ``day_change``; only the
wall-clock labels follow the display zone, so a visitor in Tokyo still sees FOSDEM's
Saturday as one day, running from Saturday 17:00 to Sunday 03:00 their time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from typing import Any
from zoneinfo import ZoneInfo

from podium.events import colors
from podium.events.languages import primary_code
from podium.events.times import local_time_label, offset_label, range_needs_offsets
from podium.exchange.schedule_data import DayData, PersonData, ScheduleData, SessionData
from podium.i18n.dates import format_wall
from podium.program import search

BLOCKS_KEY = "podium_blocks"  # see podium.schedule.services.BLOCKS_KEY
PUBLIC_ANSWERS_KEY = "podium_answers"  # see podium.questions.queries.PUBLIC_ANSWERS_KEY
MIN_STEP_MINUTES = 5
MAX_STEP_MINUTES = 30
SEARCH_LIMIT = 200
DASH = "\u2013"  # en dash between times, as typography wants


@dataclass(frozen=True)
class Block:
    """A break or other block; ``room`` None means it concerns every room."""

    id: int
    kind: str
    title: str
    start_utc: dt.datetime
    duration_minutes: int
    room: str | None

    @property
    def end_utc(self) -> dt.datetime:
        """End instant (UTC)."""
        return self.start_utc + dt.timedelta(minutes=self.duration_minutes)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Block:
        """Build from the snapshot's ``BLOCKS_KEY`` entries."""
        return cls(
            id=int(data["id"]),
            kind=str(data.get("kind") or "break"),
            title=str(data.get("title") or ""),
            start_utc=dt.datetime.fromisoformat(data["start_utc"]).astimezone(dt.UTC),
            duration_minutes=int(data["duration_minutes"]),
            room=data.get("room"),
        )


def speaker_ref(person: PersonData) -> str:
    """The URL segment naming a speaker: their guid or id, else a hash of the name."""
    kind, value = person.key
    if kind in ("guid", "id"):
        return value
    return "n-" + hashlib.blake2b(value.encode(), digest_size=6).hexdigest()


@dataclass
class ProgramData:
    """One release, indexed for the public pages. Build with :meth:`from_snapshot`."""

    data: ScheduleData
    blocks: tuple[Block, ...]
    days: list[DayData]
    sessions_by_guid: dict[str, SessionData]
    speakers: dict[str, PersonData]
    speaker_sessions: dict[str, list[SessionData]]
    sessions_by_day: dict[dt.date, list[SessionData]]
    blocks_by_day: dict[dt.date, list[Block]]
    room_order: dict[str, int] = field(default_factory=dict)
    _search_index: list[tuple[SessionData, str]] | None = field(default=None, repr=False)
    _speaker_index: list[SpeakerEntry] | None = field(default=None, repr=False)
    track_styles: dict[str, TrackStyle] = field(default_factory=dict)
    # Public answers to custom questions: {session guid: [[question, answer, speaker], ...]}.
    answers: dict[str, list[list[str]]] = field(default_factory=dict)

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, Any]) -> ProgramData:
        """Index a ``ScheduleRelease.snapshot``; raises ``ValueError`` for another format."""
        data = ScheduleData.from_dict(snapshot)
        blocks = tuple(Block.from_dict(b) for b in snapshot.get(BLOCKS_KEY) or ())
        days = data.days(cover_sessions=True)
        ordered = data.sessions_sorted()
        by_day: dict[dt.date, list[SessionData]] = {d.date: [] for d in days}
        speakers: dict[str, PersonData] = {}
        speaker_sessions: dict[str, list[SessionData]] = {}
        for person in data.persons:
            speakers[speaker_ref(person)] = person
        for session in ordered:
            by_day.setdefault(data.day_of(session), []).append(session)
            for person in session.persons:
                speaker_sessions.setdefault(speaker_ref(person), []).append(session)
        blocks_by_day: dict[dt.date, list[Block]] = {}
        for block in sorted(blocks, key=lambda b: (b.start_utc, b.id)):
            blocks_by_day.setdefault(data.conference.day_of(block.start_utc), []).append(block)
        return cls(
            data=data,
            blocks=blocks,
            days=days,
            sessions_by_guid={s.guid: s for s in ordered},
            speakers=speakers,
            speaker_sessions=speaker_sessions,
            sessions_by_day=by_day,
            blocks_by_day=blocks_by_day,
            room_order={room.name: i for i, room in enumerate(data.all_rooms())},
            track_styles=_track_styles(data),
            answers=dict(snapshot.get(PUBLIC_ANSWERS_KEY) or {}),
        )

    def track_class(self, track: str | None) -> str:
        """CSS classes colouring an element in ``track``'s colour (see ``tracks.css``), or
        ``""`` for no track or a track without a colour."""
        style = self.track_styles.get(track or "")
        return f"tracked track-{style.index}" if style else ""

    def legend(self, sessions: Iterable[SessionData] | None = None) -> list[TrackStyle]:
        """Coloured tracks used by ``sessions`` (default: the whole release), in the
        release's track order."""
        items = self.sessions_by_guid.values() if sessions is None else sessions
        used = {s.track for s in items if s.track}
        return [style for name, style in self.track_styles.items() if name in used]

    @property
    def time_zone(self) -> str:
        """The event's IANA zone as frozen in the release."""
        return self.data.conference.time_zone

    def day(self, date: dt.date | None) -> DayData | None:
        """The conference day with this local date (the first day for None), or None."""
        if date is None:
            return self.days[0] if self.days else None
        return next((d for d in self.days if d.date == date), None)

    def languages(self) -> list[str]:
        """The languages the release's sessions are held in (primary codes such as "de",
        sorted); sessions without a language add none."""
        return sorted({primary_code(s.language) for s in self.sessions_by_guid.values()} - {""})

    def day_items(
        self, date: dt.date, language: str | None = None
    ) -> list[tuple[str, SessionData | Block]]:
        """Sessions and blocks of the conference day ``date`` in start order, as
        ``("session", SessionData)`` / ``("block", Block)`` pairs; at the same start a block
        (a break for every room) comes first, sessions keep their room order. With
        ``language`` (a primary code), only the sessions held in it (blocks stay)."""
        blocks = [("block", b) for b in self.blocks_by_day.get(date, [])]
        sessions = [
            ("session", s)
            for s in self.sessions_by_day.get(date, [])
            if language is None or primary_code(s.language) == language
        ]
        return sorted(  # stable: each list is already in order
            [*blocks, *sessions], key=lambda pair: (pair[1].start_utc, pair[0] != "block")
        )

    def search(self, query: str) -> list[SessionData]:
        """Sessions whose title, subtitle, track or a speaker's name has a word starting with
        each word of ``query`` (case- and accent-insensitive, see :mod:`podium.program.search`),
        in time order, at most ``SEARCH_LIMIT``."""
        query_words = search.words(query)
        if not query_words:
            return []
        found = []
        for session, haystack in self._session_index():
            if search.matches(query_words, haystack):
                found.append(session)
                if len(found) >= SEARCH_LIMIT:
                    break
        return found

    def _session_index(self) -> list[tuple[SessionData, str]]:
        # Built on the first search of a release and kept with it (the release never changes).
        if self._search_index is None:
            self._search_index = [
                (
                    session,
                    search.searchable(
                        session.title,
                        session.subtitle,
                        session.track or "",
                        *(p.name for p in session.persons),
                    ),
                )
                for sessions in self.sessions_by_day.values()
                for session in sessions
            ]
        return self._search_index

    def speaker_list(self, query: str = "") -> list[SpeakerEntry]:
        """Speakers of the release's sessions sorted by name (case- and accent-insensitive),
        each with their sessions in time order; with ``query``, only speakers whose name has
        a word starting with each of its words (see :mod:`podium.program.search`)."""
        if self._speaker_index is None:
            entries = [
                SpeakerEntry(
                    ref=ref,
                    person=self.speakers[ref],
                    sessions=tuple(sessions),
                    words=search.searchable(self.speakers[ref].name),
                )
                for ref, sessions in self.speaker_sessions.items()
                if ref in self.speakers
            ]
            self._speaker_index = sorted(
                entries, key=lambda e: (search.fold(e.person.name), e.person.name, e.ref)
            )
        query_words = search.words(query)
        if not query_words:
            return list(self._speaker_index) if not query.strip() else []
        return [e for e in self._speaker_index if search.matches(query_words, e.words)]


@dataclass(frozen=True)
class TrackStyle:
    """A track's colours: ``background`` as the release gives it, ``text`` black or white
    with WCAG AA contrast on it; ``index`` names its CSS class ``track-<index>``."""

    index: int
    name: str
    background: str
    text: str


def _track_styles(data: ScheduleData) -> dict[str, TrackStyle]:
    styles: dict[str, TrackStyle] = {}
    for track in data.tracks:
        color = (track.color or "").lower()
        if track.name not in styles and colors.COLOR_PATTERN.match(color):
            styles[track.name] = TrackStyle(
                len(styles), track.name, color, colors.text_color(color)
            )
    return styles


def track_css(program: ProgramData) -> str:
    """The release's track colours as CSS custom properties, one rule per track:
    ``.track-0 { --track-bg: #3b6ea8; --track-fg: #ffffff; }`` (podium.css uses them)."""
    return "".join(
        f".track-{s.index} {{ --track-bg: {s.background}; --track-fg: {s.text}; }}\n"
        for s in program.track_styles.values()
    )


@dataclass(frozen=True)
class SpeakerEntry:
    """One line of the speakers index: URL segment, person, their sessions (time order) and
    their name's folded words (for search)."""

    ref: str
    person: PersonData
    sessions: tuple[SessionData, ...]
    words: str


# --------------------------------------------------------------------------- grid


@dataclass
class GridCell:
    """A cell starting at a row: a session or block spanning ``rowspan`` rows.

    ``extra`` holds items that overlap this one in the same room (an imported schedule may
    have them); they are listed inside the cell rather than breaking the table.
    """

    item: SessionData | Block
    rowspan: int
    colspan: int = 1
    extra: list[SessionData | Block] = field(default_factory=list)

    @property
    def is_session(self) -> bool:
        """True for a session, False for a break/block."""
        return isinstance(self.item, SessionData)


@dataclass
class GridRow:
    """One time step: its UTC instant, a label in the display zone (or ""), and its cells.

    ``cells`` has one entry per column: a GridCell starting here, ``"covered"`` (a cell above
    spans this row) or None (empty).
    """

    start_utc: dt.datetime
    label: str
    cells: list[GridCell | str | None]


@dataclass
class DayGrid:
    """A day's table: rooms as columns, time steps of ``step_minutes`` as rows."""

    day: DayData
    rooms: list[str]
    rows: list[GridRow]
    step_minutes: int
    unplaced_blocks: list[Block]


def day_grid(
    program: ProgramData, day: DayData, tz: ZoneInfo, language: str | None = None
) -> DayGrid:
    """Lay out ``day`` with labels in ``tz``; rows are uniform UTC steps, so a DST change
    inside the day shows as a jump (or repeat) in the labels, never a shifted session.
    With ``language`` (a primary code), only the sessions held in it (blocks stay)."""
    sessions = [
        s
        for s in program.sessions_by_day.get(day.date, [])
        if language is None or primary_code(s.language) == language
    ]
    blocks = program.blocks_by_day.get(day.date, [])
    room_blocks = [b for b in blocks if b.room is not None]
    all_room_blocks = [b for b in blocks if b.room is None]
    used = {s.room for s in sessions} | {b.room for b in room_blocks if b.room}
    rooms = sorted(used, key=lambda r: (program.room_order.get(r, len(program.room_order)), r))
    items: list[SessionData | Block] = [*sessions, *room_blocks, *all_room_blocks]
    if not items:
        return DayGrid(day, rooms, [], MIN_STEP_MINUTES, [])
    first = min(_start(i) for i in items)
    last = max(max(_end(i), _start(i) + dt.timedelta(minutes=1)) for i in items)
    origin = _floor(first, 15)
    step = _step_minutes(items, origin)
    count = math.ceil((last - origin).total_seconds() / 60 / step)
    rows = [
        GridRow(origin + dt.timedelta(minutes=i * step), "", [None] * len(rooms))
        for i in range(count)
    ]
    for i, row in enumerate(rows):
        local = row.start_utc.astimezone(tz)
        previous = rows[i - 1].start_utc.astimezone(tz) if i else None
        # Label every half hour, and any row where the offset changes (DST) so the jump shows.
        if previous is None or local.minute % 30 == 0 or local.utcoffset() != previous.utcoffset():
            # A repeated hour (clocks going back) would show every label twice: add offsets.
            row.label = local_time_label(row.start_utc, tz.key)
    column = {room: i for i, room in enumerate(rooms)}
    owners: list[list[GridCell | None]] = [[None] * len(rooms) for _ in rows]
    for item in sorted([*sessions, *room_blocks], key=lambda i: (_start(i), _key(i))):
        _place(item, column[_room(item)], rows, owners, origin, step)
    unplaced = [b for b in all_room_blocks if not _place_across(b, rows, owners, origin, step)]
    return DayGrid(day, rooms, rows, step, unplaced)


def _place(
    item: SessionData | Block,
    col: int,
    rows: list[GridRow],
    owners: list[list[GridCell | None]],
    origin: dt.datetime,
    step: int,
) -> None:
    start_row, span = _span(item, origin, step, len(rows))
    owner = owners[start_row][col]
    if owner is not None:
        owner.extra.append(item)
        return
    free = 0
    while free < span and owners[start_row + free][col] is None:
        free += 1
    cell = GridCell(item, free)
    rows[start_row].cells[col] = cell
    for r in range(start_row, start_row + free):
        owners[r][col] = cell
        if r != start_row:
            rows[r].cells[col] = "covered"


def _place_across(
    block: Block,
    rows: list[GridRow],
    owners: list[list[GridCell | None]],
    origin: dt.datetime,
    step: int,
) -> bool:
    """Put an every-room block across all columns if they are all free; False otherwise."""
    start_row, span = _span(block, origin, step, len(rows))
    width = len(rows[0].cells) if rows else 0
    if width == 0 or any(
        owners[r][c] is not None for r in range(start_row, start_row + span) for c in range(width)
    ):
        return False
    cell = GridCell(block, span, colspan=width)
    for r in range(start_row, start_row + span):
        for c in range(width):
            owners[r][c] = cell
            rows[r].cells[c] = "covered"
    rows[start_row].cells[0] = cell
    return True


def _span(item: SessionData | Block, origin: dt.datetime, step: int, count: int) -> tuple[int, int]:
    offset = (_start(item) - origin).total_seconds() / 60
    start_row = min(int(offset // step), count - 1)
    end_row = math.ceil(((_end(item) - origin).total_seconds() / 60) / step)
    return start_row, max(1, min(end_row, count) - start_row)


def _step_minutes(items: Iterable[SessionData | Block], origin: dt.datetime) -> int:
    values = []
    for item in items:
        values.append(int((_start(item) - origin).total_seconds() // 60))
        values.append(item.duration_minutes)
    step = reduce(math.gcd, [v for v in values if v > 0], 0) or MAX_STEP_MINUTES
    if step < MIN_STEP_MINUTES:
        return MIN_STEP_MINUTES
    # The largest divisor of the common step that is at most MAX_STEP_MINUTES keeps rows
    # aligned with every start while bounding the table's height.
    return next(d for d in range(min(step, MAX_STEP_MINUTES), 0, -1) if step % d == 0)


def _floor(instant: dt.datetime, minutes: int) -> dt.datetime:
    instant = instant.astimezone(dt.UTC)
    total = instant.hour * 60 + instant.minute
    floored = total - total % minutes
    return instant.replace(hour=floored // 60, minute=floored % 60, second=0, microsecond=0)


def _start(item: SessionData | Block) -> dt.datetime:
    return item.start_utc


def _end(item: SessionData | Block) -> dt.datetime:
    return item.end_utc


def _room(item: SessionData | Block) -> str:
    return item.room or ""


def _key(item: SessionData | Block) -> str:
    return item.guid if isinstance(item, SessionData) else f"block-{item.id}"


# --------------------------------------------------------------------------- time labels


def local_range(start: dt.datetime, end: dt.datetime, tz: ZoneInfo, day: dt.date | None) -> str:
    """``"10:30-11:00"`` (en dash) in ``tz``; each end gets its weekday when its local date
    differs from ``day`` (the conference day's date), e.g. ``"Sun 01:30-02:30"`` or
    ``"23:30-Sun 00:30"``."""
    a, b = start.astimezone(tz), end.astimezone(tz)
    # Across a DST change "02:30-02:30" would hide an hour: then each end names its offset.
    offsets = range_needs_offsets(start, end, tz.key)

    def part(value: dt.datetime, *, force: bool = False) -> str:
        named = force or (day is not None and value.date() != day)
        text = (format_wall(value, "weekday_short") + " " if named else "") + value.strftime(
            "%H:%M"
        )
        return f"{text} ({offset_label(value)})" if offsets else text

    # "Sun 18:00-18:00" would read as a zero-length range: once the start names its weekday,
    # an end on another date names its weekday too ("Sun 18:00-Mon 18:00").
    start_named = day is not None and a.date() != day
    return f"{part(a)}{DASH}{part(b, force=start_named and b.date() != a.date())}"


def local_when(start: dt.datetime, end: dt.datetime, tz: ZoneInfo) -> str:
    """``"Saturday 01 February 2025, 10:30-11:00"`` (en dash); the end carries its own date when the
    session ends on another local day (it crosses midnight)."""
    a, b = start.astimezone(tz), end.astimezone(tz)
    text = format_wall(a, "day_time")
    # On a DST night each end names its UTC offset, so 02:30-02:30 reads as the hour it is.
    offsets = range_needs_offsets(start, end, tz.key)
    a_off, b_off = (f" ({offset_label(a)})", f" ({offset_label(b)})") if offsets else ("", "")
    if b.date() != a.date():
        return f"{text}{a_off} {DASH} {format_wall(b, 'day_time')}{b_off}"
    return f"{text}{a_off}{DASH}{b.strftime('%H:%M')}{b_off}"
