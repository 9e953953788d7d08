"""Map ``ScheduleData`` into the database (import) and out of it (build for releases/exports).

``import_schedule`` is idempotent: sessions are matched by guid, rooms, tracks and session
types by name, speakers by the person guid or id the file gives, so importing the same file
twice updates rows and never duplicates them. It never deletes: sessions of the event that
the file no longer lists are reported in ``ImportResult.missing_guids`` and left alone.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from podium.accounts.models import User
from podium.cfp.avatars import AVATAR_NAME
from podium.cfp.enums import SubmissionState
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.cfp.services import change_state
from podium.events.colors import next_default_colors
from podium.events.models import Event, Room, SessionType, Track
from podium.exchange.errors import ScheduleImportError
from podium.exchange.formats import parse_any
from podium.exchange.identities import (
    DuplicateGuid,
    check_limits,
    distinct_persons,
    guid_for_event,
    person_key,
    separate_duplicate_guids,
    split_person_ids,
)
from podium.exchange.kept import conference_extra, conference_fields, session_extra, session_fields
from podium.exchange.normalize import (
    MAX_LINK_URL,
    PODIUM_NAMESPACE,
    clean_line,
    room_guid,
    session_slug,
    web_url,
)
from podium.exchange.schedule_data import (
    Conference,
    Link,
    PersonData,
    RoomData,
    ScheduleData,
    SessionData,
    TrackData,
)
from podium.extensions import db
from podium.schedule.models import Slot

__all__ = [
    "ImportResult",
    "build_schedule_data",
    "import_schedule",
    "import_schedule_file",
    "parse_schedule_file",
    "speaker_person",
]

# States in which a slotted submission is part of the published program.
PROGRAM_STATES = (SubmissionState.ACCEPTED.value, SubmissionState.CONFIRMED.value)
# How an imported session reaches "confirmed" through the allowed transitions.
_PATH_TO_CONFIRMED = {
    SubmissionState.DRAFT: (
        SubmissionState.SUBMITTED,
        SubmissionState.ACCEPTED,
        SubmissionState.CONFIRMED,
    ),
    SubmissionState.SUBMITTED: (SubmissionState.ACCEPTED, SubmissionState.CONFIRMED),
    SubmissionState.REJECTED: (SubmissionState.ACCEPTED, SubmissionState.CONFIRMED),
    SubmissionState.ACCEPTED: (SubmissionState.CONFIRMED,),
    SubmissionState.DECLINED: (SubmissionState.CONFIRMED,),
}
_IMPORT_NOTE = "imported from a schedule file"
_IN_CHUNK = 500  # rows per IN (...) lookup, well under every backend's parameter limit
_HEX = "0123456789abcdefABCDEF"
_ID_KEY = re.compile(r"id:(-?\d{1,12})(?:-[0-9a-f]{8})?")
MAX_LINKS = 100
"""Most links and attachments one session keeps (together); FOSDEM 2025 has at most 8."""
_LINK_TITLE = 300  # characters, like a session title


@dataclass
class ImportResult:
    """What ``import_schedule`` did; counts are numbers of rows."""

    event_slug: str
    event_created: bool = False
    sessions_created: int = 0
    sessions_updated: int = 0
    sessions_unchanged: int = 0
    rooms_created: int = 0
    tracks_created: int = 0
    session_types_created: int = 0
    speakers_created: int = 0
    speakers_updated: int = 0
    links_skipped: int = 0
    missing_guids: list[str] = field(default_factory=list)
    # Person ids the file gave to several people (different names): {id: [names]}.
    person_ids_split: dict[int, list[str]] = field(default_factory=dict)
    # Sessions whose guid an earlier session of the file already had, every one of them.
    duplicate_guids: list[DuplicateGuid] = field(default_factory=list)
    # Sessions whose guid belongs to another event got a guid derived for this event;
    # the slugs of those other events, sorted.
    guids_derived: int = 0
    guids_from_events: list[str] = field(default_factory=list)
    # People with an account the file named: linked to their sessions, profile unchanged.
    speakers_linked: int = 0
    # One sentence per thing the file had that was not kept (a skipped link...).
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the CLI and flash messages."""
        counts = {
            "slug": self.event_slug,
            "new": self.sessions_created,
            "updated": self.sessions_updated,
            "unchanged": self.sessions_unchanged,
            "rooms": self.rooms_created,
            "tracks": self.tracks_created,
            "types": self.session_types_created,
            "speakers": self.speakers_created,
        }
        if self.event_created:
            text = _(
                "event %(slug)s created: sessions %(new)s new, %(updated)s updated, "
                "%(unchanged)s unchanged; %(rooms)s new rooms, %(tracks)s new tracks, "
                "%(types)s new session types, %(speakers)s new speakers",
                **counts,
            )
        else:
            text = _(
                "event %(slug)s updated: sessions %(new)s new, %(updated)s updated, "
                "%(unchanged)s unchanged; %(rooms)s new rooms, %(tracks)s new tracks, "
                "%(types)s new session types, %(speakers)s new speakers",
                **counts,
            )
        if self.missing_guids:
            text += _(
                "; %(n)s scheduled sessions not in the file were kept", n=len(self.missing_guids)
            )
        if self.links_skipped:
            text += _("; %(n)s links skipped", n=self.links_skipped)
        return text + self._identity_summary()

    def _identity_summary(self) -> str:
        text = ""
        if self.person_ids_split:
            text += _(
                "; %(n)s person ids shared by different names were split into separate speakers",
                n=len(self.person_ids_split),
            )
        if self.duplicate_guids:
            # Every one is named here (warnings may be cut short on screen).
            named = ", ".join(
                _(
                    "%(title)s at %(start)s UTC",
                    title=repr(_fit(d.title, 80)),
                    start=d.start_utc.strftime("%Y-%m-%d %H:%M"),
                )
                for d in self.duplicate_guids
            )
            text += _(
                "; %(n)s sessions repeating a guid of the file were imported as separate "
                "sessions: %(named)s",
                n=len(self.duplicate_guids),
                named=named,
            )
        if self.guids_derived:
            text += _(
                "; %(n)s sessions got new guids because their guids belong to event %(events)s",
                n=self.guids_derived,
                events=", ".join(self.guids_from_events),
            )
        if self.speakers_linked:
            text += _(
                "; %(n)s speakers with an account were linked, their profiles left unchanged",
                n=self.speakers_linked,
            )
        return text


# --------------------------------------------------------------------------- import


def import_schedule(
    *,
    data: ScheduleData,
    event_slug: str | None,
    actor: User | None,
    make_public: bool = False,
    commit: bool = True,
) -> ImportResult:
    """Create or update an event and its program from a parsed schedule.

    Args:
        data: the schedule (from ``parse_frab_xml`` / ``parse_schedule_json``).
        event_slug: the event to import into (created if missing); defaults to the file's
            conference slug.
        actor: who imports (recorded on the state changes); None for the system.
        make_public: also mark the event public (the demo does).
        commit: commit the transaction (pass False to let the caller decide).

    The event's time zone, dates and day change are taken from the file; an existing event
    keeps its name, description and URL. New sessions reach "confirmed" through
    ``cfp.services.change_state`` (draft -> submitted -> accepted -> confirmed). Text longer
    than its column (titles over 300 characters, names over 200) is shortened with "…".
    Links and attachments are kept in order when their URL is absolute http or https and at
    most ``MAX_LINK_URL`` characters (titles are shortened like session titles), up to
    ``MAX_LINKS`` per session; any other link is skipped, counted in
    ``ImportResult.links_skipped`` and named in ``ImportResult.warnings``.
    Each session keeps the id and slug the file gave it (exports show them again).
    Identities (see ``podium.exchange.identities``): a person id shared by different names
    is split into separate speakers; a guid repeated in the file makes a separate session
    with a derived guid; a guid that belongs to another event is replaced by one derived for
    this event; an account-owned profile the file names is linked, never rewritten. Each is
    counted in the result and named in ``ImportResult.warnings``.

    Raises:
        ScheduleImportError: the event slug is empty or too long, or a value is out of range
            (``identities.check_limits``: the message names the field and the session).
            Nothing is written then: the transaction is rolled back.
    """
    slug = (event_slug or data.conference.slug).strip()
    if not slug or len(slug) > 80:
        raise ScheduleImportError(
            _("event slug %(slug)s must be 1 to 80 characters", slug=repr(slug))
        )
    try:
        result = _Importer(data, slug, actor).run(make_public=make_public)
        result.warnings[:0] = data.warnings  # the parser's own notes come first
    except Exception:
        db.session.rollback()
        raise
    if commit:
        db.session.commit()
    return result


class _Importer:
    def __init__(self, data: ScheduleData, slug: str, actor: User | None) -> None:
        check_limits(data)
        self.data, repeats = separate_duplicate_guids(data)
        self.actor = actor
        self.result = ImportResult(event_slug=slug)
        self.result.duplicate_guids = repeats
        self.result.warnings.extend(repeat.sentence() for repeat in repeats)
        self._note_split_person_ids()
        self.unchanged: set[str] = set()
        self.event = self._event(slug)
        self.data = self._own_guids()

    def _note_split_person_ids(self) -> None:
        split = split_person_ids(self.data)
        self.result.person_ids_split = split
        for person_id, names in sorted(split.items()):
            shown = ", ".join(repr(_fit(name, 80)) for name in names)
            self.result.warnings.append(
                _(
                    "person id %(id)s names %(n)s different people (%(names)s): imported as "
                    "separate speakers",
                    id=person_id,
                    n=len(names),
                    names=shown,
                )
            )

    def _own_guids(self) -> ScheduleData:
        """The data with guids that belong to other events replaced by guids for this one.

        Copying a program (last year's file, Podium's own export, a staging event) into
        another event must not steal or refuse the sessions of the first.
        """
        guids = [s.guid for s in self.data.sessions]
        owners: dict[str, int] = {}
        for chunk in _chunks(guids, _IN_CHUNK):
            rows = db.session.execute(
                select(Submission.guid, Submission.event_id).where(
                    Submission.guid.in_(chunk), Submission.event_id != self.event.id
                )
            )
            owners.update({guid: event_id for guid, event_id in rows})
        if not owners:
            return self.data
        self.result.guids_derived = len(owners)
        self.result.guids_from_events = sorted(
            db.session.scalars(select(Event.slug).where(Event.id.in_(set(owners.values()))))
        )
        sessions = tuple(
            dataclasses.replace(s, guid=guid_for_event(s.guid, self.event.id))
            if s.guid in owners
            else s
            for s in self.data.sessions
        )
        return self.data.replace(sessions=sessions)

    def run(self, *, make_public: bool) -> ImportResult:
        if make_public:
            self.event.is_public = True
        rooms = self._rooms()
        tracks = self._tracks()
        types = self._session_types()
        speakers = self._speakers()
        submissions, new = self._submissions(tracks, types, speakers)
        db.session.flush()
        for submission in new:
            self._confirm(submission)
        self._slots(submissions, rooms)
        self._missing(set(submissions))
        db.session.flush()
        return self.result

    # -- event, rooms, tracks, types ---------------------------------------------------

    def _event(self, slug: str) -> Event:
        conf = self.data.conference
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        if event is None:
            event = Event(
                slug=slug,
                name=_fit(conf.title, 200),
                url=_fit(conf.url or "", 500),
                time_zone=conf.time_zone,
                start_date=conf.start_date,
                end_date=conf.end_date,
            )
            db.session.add(event)
            self.result.event_created = True
        change = conf.day_change_time
        if not self.result.event_created:
            self._note_replaced_days(event)
        # The file defines when its days are; sessions outside them would be conflicts.
        event.time_zone = conf.time_zone
        event.start_date = conf.start_date
        event.end_date = conf.end_date
        event.day_change_minutes = change.hour * 60 + change.minute
        event.exchange_extra = conference_extra(
            event.exchange_extra, conf, version=self.data.version
        )
        db.session.flush()
        return event

    def _note_replaced_days(self, event: Event) -> None:
        # The organizer may have typed the zone and dates; replacing them silently shifts every
        # local time they see, so the summary says what changed.
        conf = self.data.conference
        notes = []
        if event.time_zone != conf.time_zone:
            notes.append(
                _(
                    "the event's time zone changed from %(old)s to %(new)s, as the file says "
                    "(choose the zone in the import form to keep another one)",
                    old=event.time_zone,
                    new=conf.time_zone,
                )
            )
        if (event.start_date, event.end_date) != (conf.start_date, conf.end_date):
            notes.append(
                _(
                    "the event's days changed from %(old)s to %(new)s, as the file says",
                    old=" - ".join((str(event.start_date), str(event.end_date))),
                    new=" - ".join((str(conf.start_date), str(conf.end_date))),
                )
            )
        # First, so the web form's one-line flash shows them before any skipped link.
        self.result.warnings[:0] = notes

    def _rooms(self) -> dict[str, Room]:
        existing = {room.name: room for room in self.event.rooms}
        rooms: dict[str, Room] = {}
        for position, room_data in enumerate(self.data.all_rooms()):
            name = _fit(room_data.name, 200)
            room = existing.get(name)
            if room is None:
                room = Room(event=self.event, name=name)
                db.session.add(room)
                existing[name] = room
                self.result.rooms_created += 1
            room.position = position
            room.guid = room_guid(room_data.guid, acronym=self.event.slug, name=name)
            if room_data.capacity is not None:
                room.capacity = room_data.capacity
            rooms[room_data.name] = room
        return rooms

    def _tracks(self) -> dict[str, Track]:
        existing = {track.name: track for track in self.event.tracks}
        tracks: dict[str, Track] = {}
        declared = {t.name: t for t in self.data.tracks}
        names = dict.fromkeys([*declared, *(s.track for s in self.data.sessions if s.track)])
        # Tracks the file gives no colour (FOSDEM's) get distinct defaults, not one blue.
        defaults = iter(next_default_colors({t.color for t in existing.values()}, len(names)))
        for name in names:
            assert name is not None
            fitted = _fit(name, 200)
            track = existing.get(fitted)
            if track is None:
                track = Track(event=self.event, name=fitted, color=next(defaults))
                db.session.add(track)
                existing[fitted] = track
                self.result.tracks_created += 1
            color = declared[name].color if name in declared else None
            if color and len(color) == 7 and all(c in _HEX for c in color[1:]):
                track.color = color.lower()
            tracks[name] = track
        return tracks

    def _session_types(self) -> dict[str, SessionType]:
        durations: dict[str, Counter[int]] = {}
        for session in self.data.sessions:
            if session.session_type:
                durations.setdefault(session.session_type, Counter())[session.duration_minutes] += 1
        existing = {t.name: t for t in self.event.session_types}
        types: dict[str, SessionType] = {}
        for name, counter in durations.items():
            fitted = _fit(name, 200)
            session_type = existing.get(fitted)
            if session_type is None:
                session_type = SessionType(
                    event=self.event,
                    name=fitted,
                    default_duration_minutes=counter.most_common(1)[0][0],
                )
                db.session.add(session_type)
                existing[fitted] = session_type
                self.result.session_types_created += 1
            types[name] = session_type
        return types

    # -- speakers ----------------------------------------------------------------------

    def _speakers(self) -> dict[tuple[str, str], SpeakerProfile]:
        lookup = self._known_speakers()
        accounts = self._account_profiles(lookup)
        profiles: dict[tuple[str, str], SpeakerProfile] = {}
        for person in distinct_persons(self.data):
            key = _import_key(person)
            profile = lookup.get(key) or accounts.get(key)
            if profile is not None and profile.user_id is not None:
                # The speaker owns this profile: a file (anyone's) may name them, never
                # rename them or rewrite their biography, in this event or any other.
                self.result.speakers_linked += 1
            elif profile is None:
                profile = SpeakerProfile(
                    event_id=self.event.id,
                    import_key=key,
                    name=_fit(person.name, 200),
                    biography=person.biography,
                )
                db.session.add(profile)
                lookup[key] = profile
                self.result.speakers_created += 1
            else:
                changed = _assign(profile, name=_fit(person.name, 200))
                # Formats without biographies (schedule.xml) must not wipe one we have.
                if person.biography:
                    changed |= _assign(profile, biography=person.biography)
                self.result.speakers_updated += int(changed)
            profiles[person_key(person)] = profile
        return profiles

    def _known_speakers(self) -> dict[str, SpeakerProfile]:
        """Profiles of this event by import key, and by the guid our exports give them."""
        linked = (
            select(SubmissionSpeaker.speaker_id)
            .join(Submission, Submission.id == SubmissionSpeaker.submission_id)
            .where(Submission.event_id == self.event.id)
        )
        profiles = db.session.scalars(
            select(SpeakerProfile).where(
                (SpeakerProfile.event_id == self.event.id) | SpeakerProfile.id.in_(linked)
            )
        ).all()
        lookup: dict[str, SpeakerProfile] = {}
        for profile in profiles:
            if profile.import_key:
                lookup[profile.import_key] = profile
            # Also finds profiles imported before ids were paired with names ("id:42"), and
            # people our export gave their public guid (several people with one id).
            lookup.setdefault(_import_key(speaker_person(profile)), profile)
            lookup.setdefault(f"guid:{_public_guid(profile.id)}", profile)
        return lookup

    def _account_profiles(self, known: dict[str, SpeakerProfile]) -> dict[str, SpeakerProfile]:
        """Account-owned profiles the file names by the public guid our exports give them.

        Only looked up for guids not already known in this event; one query for the ids of
        all account profiles, one for those named.
        """
        persons = distinct_persons(self.data)
        wanted = {_import_key(p) for p in persons if p.guid and _import_key(p) not in known}
        if not wanted:
            return {}
        ids = db.session.scalars(
            select(SpeakerProfile.id).where(SpeakerProfile.user_id.is_not(None))
        ).all()
        named = {pid: key for pid in ids if (key := f"guid:{_public_guid(pid)}") in wanted}
        if not named:
            return {}
        rows = db.session.scalars(select(SpeakerProfile).where(SpeakerProfile.id.in_(named)))
        return {named[profile.id]: profile for profile in rows}

    # -- submissions and slots ---------------------------------------------------------

    def _submissions(
        self,
        tracks: dict[str, Track],
        types: dict[str, SessionType],
        speakers: dict[tuple[str, str], SpeakerProfile],
    ) -> tuple[dict[str, Submission], list[Submission]]:
        existing = self._existing_submissions()
        submissions: dict[str, Submission] = {}
        new: list[Submission] = []
        for session in self.data.sessions:
            submission = existing.get(session.guid)
            created = submission is None
            if submission is None:
                submission = Submission(
                    event=self.event, guid=session.guid, state=SubmissionState.DRAFT.value
                )
                db.session.add(submission)
                new.append(submission)
            changed = _assign(
                submission,
                title=_fit(session.title, 300),
                subtitle=_fit(session.subtitle, 300),
                abstract=session.abstract,
                description=session.description,
                duration_minutes=session.duration_minutes,
                language=_fit(session.language or "", 20),
                do_not_record=session.do_not_record,
                track=tracks.get(session.track) if session.track else None,
                session_type=types.get(session.session_type) if session.session_type else None,
                links=self._links(session),
                exchange_extra=session_extra(session),
                schedule_id=session.id,
                schedule_slug=_kept_slug(submission.schedule_slug, session.slug),
            )
            changed |= self._set_speakers(submission, session, speakers)
            if created:
                self.result.sessions_created += 1
            elif changed:
                self.result.sessions_updated += 1
            else:
                self.result.sessions_unchanged += 1
                self.unchanged.add(session.guid)
            submissions[session.guid] = submission
        return submissions, new

    def _links(self, session: SessionData) -> list[dict[str, str]]:
        """The stored form of the session's links and attachments; skipped ones are reported."""
        rows: list[dict[str, str]] = []
        for kind, pairs in (("link", session.links), ("attachment", session.attachments)):
            for title, url in pairs:
                safe = web_url(url)
                if safe is None:
                    too_long = len(url.strip()) > MAX_LINK_URL
                    why = (
                        _("it is longer than %(n)s characters", n=MAX_LINK_URL)
                        if too_long
                        else _("only http and https addresses are kept")
                    )
                    self._skip_link(session, kind, url, why)
                elif len(rows) >= MAX_LINKS:
                    why = _("a session keeps at most %(n)s links and attachments", n=MAX_LINKS)
                    self._skip_link(session, kind, url, why)
                else:
                    name = _fit(clean_line(title) or safe, _LINK_TITLE)
                    rows.append({"kind": kind, "title": name, "url": safe})
        return rows

    def _skip_link(self, session: SessionData, kind: str, url: str, why: str) -> None:
        self.result.links_skipped += 1
        values = {
            "guid": session.guid,
            "title": repr(_fit(session.title, 80)),
            "url": repr(_fit(url, 80)),
            "why": why,
        }
        # Two whole sentences, not one with a "link"/"attachment" word: translations inflect it.
        if kind == "link":
            message = _("session %(guid)s (%(title)s): link %(url)s skipped: %(why)s", **values)
        else:
            message = _(
                "session %(guid)s (%(title)s): attachment %(url)s skipped: %(why)s", **values
            )
        self.result.warnings.append(message)

    def _existing_submissions(self) -> dict[str, Submission]:
        found: dict[str, Submission] = {}
        foreign: dict[str, Submission] = {}
        guids = [s.guid for s in self.data.sessions]
        for chunk in _chunks(guids, _IN_CHUNK):
            rows = db.session.scalars(
                select(Submission)
                .where(Submission.guid.in_(chunk))
                .options(selectinload(Submission.speakers))
            ).all()
            for submission in rows:
                target = found if submission.event_id == self.event.id else foreign
                target[submission.guid] = submission
        if foreign:
            # Name the first clash in file order so the message is the same on every backend.
            first = next(foreign[g] for g in guids if g in foreign)
            other = db.session.get(Event, first.event_id)
            more = _(" (and %(n)s more)", n=len(foreign) - 1) if len(foreign) > 1 else ""
            raise ScheduleImportError(
                _(
                    "session %(guid)s (%(title)s) already belongs to event %(event)s%(more)s; "
                    "import into that event or remove it there first",
                    guid=first.guid,
                    title=repr(first.title),
                    event=other.slug if other else first.event_id,
                    more=more,
                )
            )
        return found

    @staticmethod
    def _set_speakers(
        submission: Submission,
        session: SessionData,
        speakers: dict[tuple[str, str], SpeakerProfile],
    ) -> bool:
        wanted = list(dict.fromkeys(speakers[person_key(p)] for p in session.persons))
        current = list(submission.speakers)
        if [link.speaker for link in current] == wanted:
            return False
        # Speakers who stay keep their link row (only its position changes): a new row for
        # the same speaker would be inserted before the old one is deleted and break the
        # one-link-per-speaker constraint.
        kept = {id(link.speaker): link for link in current}
        links = []
        for position, profile in enumerate(wanted):
            link = kept.pop(id(profile), None) or SubmissionSpeaker(speaker=profile)
            link.position = position
            links.append(link)
        submission.speakers = links
        return True

    def _confirm(self, submission: Submission) -> None:
        for state in _PATH_TO_CONFIRMED.get(SubmissionState(submission.state), ()):
            change_state(
                submission=submission,
                to_state=state,
                actor=self.actor,
                note=_IMPORT_NOTE,
                commit=False,
            )

    def _slots(self, submissions: dict[str, Submission], rooms: dict[str, Room]) -> None:
        ids = [s.id for s in submissions.values()]
        existing: dict[int, Slot] = {}
        for chunk in _chunks(ids, _IN_CHUNK):
            for slot in db.session.scalars(select(Slot).where(Slot.submission_id.in_(chunk))):
                existing[slot.submission_id] = slot  # type: ignore[index]
        for session in self.data.sessions:
            submission = submissions[session.guid]
            slot = existing.get(submission.id)
            values: dict[str, Any] = {
                "room_id": rooms[session.room].id,
                "start_at": session.start_utc,
                "end_at": session.end_utc,
                "kind": "session",
            }
            if slot is None:
                db.session.add(Slot(event_id=self.event.id, submission_id=submission.id, **values))
            elif _assign(slot, **values) and session.guid in self.unchanged:
                # A moved session is an updated one even if its text stayed the same.
                self.unchanged.discard(session.guid)
                self.result.sessions_unchanged -= 1
                self.result.sessions_updated += 1

    def _missing(self, imported: set[str]) -> None:
        rows = db.session.scalars(
            select(Submission.guid)
            .join(Slot, Slot.submission_id == Submission.id)
            .where(Submission.event_id == self.event.id)
        ).all()
        self.result.missing_guids = sorted(set(rows) - imported)


def _chunks(values: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _assign(obj: object, **values: Any) -> bool:
    """Set attributes that differ; True if any changed (so unchanged rows are not dirtied)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _kept_slug(stored: str | None, incoming: str) -> str | None:
    """The slug to store: the file's, unless it is the stored one cut to fit schedule JSON.

    JSON schema 1 wants a letter or digit last, so Podium's JSON export drops trailing dashes
    that schedule.xml keeps (FOSDEM 2025 has 91 such slugs); a re-import of that export
    must not change them.
    """
    if stored and incoming and stored != incoming and stored.rstrip("-_") == incoming:
        return stored
    return incoming[:200] or None


def _fit(value: str, length: int) -> str:
    # Column limits: longer text is cut rather than refused, since the meaning is clear.
    return value if len(value) <= length else value[: length - 1] + "…"


def _import_key(person: PersonData) -> str:
    kind, value = person_key(person)
    key = f"{kind}:{value}"
    if len(key) <= 100:
        return key
    return f"{kind}-sha1:{hashlib.sha1(value.encode()).hexdigest()}"  # noqa: S324 - an id, not a secret


def parse_schedule_file(raw: bytes, *, time_zone: str | None = None) -> ScheduleData:
    """Parse schedule bytes in any format ``exchange.formats.parse_any`` recognises.

    frab XML, schedule JSON versions 1 and 2, iCalendar. Raises ``ScheduleImportError``
    naming the element and line of the first problem, or the layout of a file that holds
    events no reader understands.
    """
    return parse_any(raw, time_zone=time_zone)


def import_schedule_file(
    *, raw: bytes, event: Event, actor: User | None, time_zone: str | None = None
) -> ImportResult:
    """Parse an uploaded schedule file (frab XML or schedule JSON) into ``event``.

    Raises ``ScheduleImportError`` (element and line) and writes nothing if the file is bad.
    """
    data = parse_schedule_file(raw, time_zone=time_zone)
    return import_schedule(data=data, event_slug=event.slug, actor=actor)


# --------------------------------------------------------------------------- build


def speaker_person(profile: SpeakerProfile, *, base_url: str | None = None) -> PersonData:
    """The ``PersonData`` exports show for a speaker profile.

    Imported speakers keep the guid or id their file gave them (so a re-import of our export
    finds them again); others get a UUIDv5 of their profile id. ``avatar`` is the public URL
    of the uploaded picture on ``base_url`` (``<base_url>/speaker/avatars/<file>``), or None
    without a ``base_url``, without a picture, or for an imported speaker.
    """
    avatar = _avatar_url(profile, base_url)
    key = profile.import_key or ""
    if key.startswith("guid:"):
        return PersonData(name=profile.name, guid=key[5:], biography=profile.biography)
    # "id:<id>-<name hash>", or "id:<id>" as imported before ids were paired with names.
    by_id = _ID_KEY.fullmatch(key)
    if by_id:
        return PersonData(name=profile.name, id=int(by_id[1]), biography=profile.biography)
    guid = _public_guid(profile.id)
    return PersonData(name=profile.name, guid=guid, biography=profile.biography, avatar=avatar)


def _public_guid(profile_id: int) -> str:
    return str(uuid.uuid5(PODIUM_NAMESPACE, f"podium/speaker/{profile_id}"))


def _avatar_url(profile: SpeakerProfile, base_url: str | None) -> str | None:
    # Same path as the ``cfp.avatar`` route; a name that is not one of ours never gets out.
    name = profile.avatar_filename
    if not base_url or not name or profile.import_key or not AVATAR_NAME.match(name):
        return None
    return web_url(f"{base_url.rstrip('/')}/speaker/avatars/{name}")


def build_schedule_data(
    event: Event,
    *,
    version: str = "",
    base_url: str | None = None,
    session_url: Callable[[Submission], str | None] | None = None,
) -> ScheduleData:
    """The event's current working schedule (its slots) as ``ScheduleData``.

    Includes every slot that has a room and a submission in state accepted or confirmed;
    breaks and other blocks without a submission are not sessions and are left out.
    ``session_url`` (e.g. a ``url_for`` wrapper) gives each session's public page.
    Speakers' avatars are absolute URLs on ``base_url`` (none without it); only speakers of
    the sessions included appear at all.
    Imported sessions keep the id and slug their file gave them; see ``_export_ids`` for the
    others.
    Runs a fixed number of queries whatever the number of sessions.
    """
    slots = db.session.scalars(
        select(Slot)
        .join(Submission, Submission.id == Slot.submission_id)
        .where(
            Slot.event_id == event.id,
            Slot.room_id.is_not(None),
            Submission.state.in_(PROGRAM_STATES),
        )
        .options(
            joinedload(Slot.room),
            joinedload(Slot.submission).joinedload(Submission.track),
            joinedload(Slot.submission).joinedload(Submission.session_type),
        )
        .order_by(Slot.start_at, Slot.id)
    ).all()
    # One query for all speakers: selectinload would split large programs into chunks.
    speakers: dict[int, list[PersonData]] = {}
    links = db.session.scalars(
        select(SubmissionSpeaker)
        .join(Submission, Submission.id == SubmissionSpeaker.submission_id)
        .where(Submission.event_id == event.id)
        .options(joinedload(SubmissionSpeaker.speaker))
        .order_by(SubmissionSpeaker.submission_id, SubmissionSpeaker.position, SubmissionSpeaker.id)
    ).all()
    persons: dict[int, PersonData] = {}
    for link in links:
        if link.speaker_id not in persons:
            persons[link.speaker_id] = speaker_person(link.speaker, base_url=base_url)
    persons = _told_apart(persons)
    for link in links:
        speakers.setdefault(link.submission_id, []).append(persons[link.speaker_id])
    ids = _export_ids(event, [slot.submission for slot in slots])
    rooms = db.session.scalars(
        select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id)
    ).all()
    tracks = db.session.scalars(
        select(Track).where(Track.event_id == event.id).order_by(Track.name)
    ).all()
    change = timedelta(minutes=event.day_change_minutes or 0)
    conference = Conference(
        title=event.name,
        slug=event.slug,
        time_zone=event.time_zone,
        start_date=event.start_date,
        end_date=event.end_date,
        day_change=f"{change.seconds // 3600:02d}:{change.seconds // 60 % 60:02d}",
        url=event.url or None,
        base_url=base_url,
        **conference_fields(event.exchange_extra),
    )
    return ScheduleData(
        conference=conference,
        rooms=tuple(
            RoomData(
                name=room.name,
                guid=room_guid(room.guid, acronym=event.slug, name=room.name),
                capacity=room.capacity,
            )
            for room in rooms
        ),
        sessions=tuple(
            _session_data(slot, event, speakers.get(slot.submission_id, []), session_url, ids)
            for slot in slots
        ),
        tracks=tuple(TrackData(name=t.name, color=t.color) for t in tracks),
        version=version,
    )


def _told_apart(persons: dict[int, PersonData]) -> dict[int, PersonData]:
    """``{profile id: person}`` where people sharing a numeric id also get their public guid.

    Merged files reuse one id for different people; the importer keeps them apart, and the
    guid keeps them apart for schedule apps, the program's speaker pages and a re-import of
    our export. People whose id is theirs alone keep being known by it.
    """
    owners = Counter(p.id for p in persons.values() if p.id is not None and not p.guid)
    return {
        profile_id: dataclasses.replace(person, guid=_public_guid(profile_id))
        if person.id is not None and not person.guid and owners[person.id] > 1
        else person
        for profile_id, person in persons.items()
    }


_BUMPED_IDS = 1_000_000_000
"""Where ids of Podium-created sessions go when an imported session has their number."""


def _export_ids(event: Event, submissions: list[Submission]) -> dict[int, int]:
    """``{submission id: session id in exports}``; stable from one release to the next.

    An imported session keeps its file's id. A session created in Podium uses its database
    id unless an imported session of the event has that number; then it gets
    ``_BUMPED_IDS`` plus its database id (or the next free number above), so it never
    collides with an imported id and does not move when other sessions come and go.
    """
    claimed = set(
        db.session.scalars(
            select(Submission.schedule_id).where(
                Submission.event_id == event.id, Submission.schedule_id.is_not(None)
            )
        )
    )
    ids: dict[int, int] = {}
    for submission in submissions:
        if submission.schedule_id is not None:
            ids[submission.id] = submission.schedule_id
            continue
        local_id = submission.id
        if local_id in claimed:
            local_id = _BUMPED_IDS + submission.id
            while local_id in claimed:
                local_id += 1
        ids[submission.id] = local_id
    return ids


def _session_data(
    slot: Slot,
    event: Event,
    persons: list[PersonData],
    session_url: Callable[[Submission], str | None] | None,
    ids: dict[int, int],
) -> SessionData:
    submission: Submission = slot.submission
    start = slot.start_at.astimezone(UTC)
    minutes = int((slot.end_at - slot.start_at).total_seconds() // 60)
    local_id = ids[submission.id]
    return SessionData(
        guid=submission.guid,
        id=local_id,
        title=submission.title,
        start_utc=start,
        duration_minutes=max(minutes, 0),
        room=slot.room.name,
        # The file's slug as it was; each writer fits it to its format.
        slug=submission.schedule_slug
        or session_slug(None, acronym=event.slug, local_id=local_id, title=submission.title),
        subtitle=submission.subtitle,
        abstract=submission.abstract,
        description=submission.description,
        track=submission.track.name if submission.track else None,
        session_type=submission.session_type.name if submission.session_type else "",
        language=submission.language or None,
        persons=tuple(persons),
        links=_stored_links(submission, "link"),
        attachments=_stored_links(submission, "attachment"),
        do_not_record=submission.do_not_record,
        url=session_url(submission) if session_url else None,
        **session_fields(submission.exchange_extra),
    )


def _stored_links(submission: Submission, kind: str) -> tuple[Link, ...]:
    # Checked again on the way out: rows written by anything but the importer reach
    # releases, pages and exports only with a web URL.
    found = []
    for row in submission.links or ():
        url = web_url(row.get("url")) if row.get("kind") == kind else None
        if url is not None:
            found.append((row.get("title") or url, url))
    return tuple(found)
