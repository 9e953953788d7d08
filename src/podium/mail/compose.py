"""Writing to speakers: pick a group, fill placeholders per speaker and proposal, hold the mails.

The organizer's subject and text are checked against :data:`COMPOSE_PLACEHOLDERS` first, so an
unknown ``{name}`` is refused before anything is rendered. Recipients are the speakers with an
account (imported speakers have no address) of the proposals in the group; a speaker with
several proposals gets one mail when the rendered text is the same for all of them (a text
without proposal placeholders), one per proposal otherwise. Mails are held in the outbox for a
last check and sent from there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, insert, select

from podium.accounts.models import User
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.events.models import Event, Room
from podium.extensions import db
from podium.i18n.dates import current_language, format_wall
from podium.i18n.locales import DEFAULT_LANGUAGE
from podium.mail.emails import EventTexts, check_text, fill_placeholders
from podium.mail.enums import MailState
from podium.mail.models import OutboxMail
from podium.mail.services import (
    TEXT_TEMPLATE,
    external_url,
    mail_language,
    new_message_id,
    render_mail,
)
from podium.schedule.models import ScheduleRelease, Slot

SPEAKER_MAIL_KIND = "speaker_mail"

COMPOSE_PLACEHOLDERS: tuple[str, ...] = (
    "speaker_name",
    "submission_title",
    "confirmation_link",
    "session_day",
    "session_time",
    "session_room",
    "event_name",
    "event_url",
)

#: group key -> (label, submission states it covers); "picked" uses the ticked proposals.
GROUPS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "submitted": (_l("Speakers of submitted proposals"), ("submitted",)),
    "accepted": (
        _l("Speakers of accepted proposals (confirmed or not)"),
        ("accepted", "confirmed"),
    ),
    "confirmed": (_l("Speakers of confirmed proposals"), ("confirmed",)),
    "unconfirmed": (_l("Accepted speakers who have not confirmed"), ("accepted",)),
    "rejected": (_l("Speakers of rejected proposals"), ("rejected",)),
    "picked": (_l("Speakers of the proposals ticked below"), ()),
}

NOT_SCHEDULED = _l("not scheduled yet")


@dataclass(frozen=True)
class Audience:
    """Who to write to: a :data:`GROUPS` key, optionally narrowed to a track or session type.

    ``submission_ids`` are the hand-picked proposals (group ``picked`` only; ids of other
    events are ignored).
    """

    group: str
    track_id: int | None = None
    session_type_id: int | None = None
    submission_ids: tuple[int, ...] = ()


@dataclass
class SpeakerMail:
    """One rendered mail: its address, speaker, subject, text and the proposals it is about."""

    to: str
    speaker_name: str
    subject: str
    body: str
    submission_ids: list[int] = field(default_factory=list)
    language: str = ""  # the language the text is written in, "" when the organizer's own


@dataclass(frozen=True)
class _Row:
    submission_id: int
    title: str
    state: str
    speaker_name: str
    email: str
    start_at: datetime | None
    end_at: datetime | None
    room: str | None
    language: str | None


def _speaker_slots(event: Event, *columns: Any) -> Select[Any]:
    """``columns`` then speaker name, e-mail, slot start, slot end, room name and the
    speaker's saved language, for every speaker with an account of every proposal of
    ``event``, ordered by address."""
    return (
        select(
            *columns,
            SpeakerProfile.name,
            User.email,
            Slot.start_at,
            Slot.end_at,
            Room.name,
            User.language,
        )
        .join(SubmissionSpeaker, SubmissionSpeaker.submission_id == Submission.id)
        .join(SpeakerProfile, SpeakerProfile.id == SubmissionSpeaker.speaker_id)
        .join(User, User.id == SpeakerProfile.user_id)
        .outerjoin(Slot, Slot.submission_id == Submission.id)
        .outerjoin(Room, Room.id == Slot.room_id)
        .where(Submission.event_id == event.id)
        .order_by(func.lower(User.email), Submission.id)
    )


def _rows(event: Event, audience: Audience) -> list[_Row]:
    """Every (proposal, speaker with an address) of the audience with its slot (one query)."""
    query = _speaker_slots(event, Submission.id, Submission.title, Submission.state)
    if audience.group == "picked":
        query = query.where(Submission.id.in_(audience.submission_ids or (-1,)))
    else:
        query = query.where(Submission.state.in_(GROUPS[audience.group][1]))
    if audience.track_id:
        query = query.where(Submission.track_id == audience.track_id)
    if audience.session_type_id:
        query = query.where(Submission.session_type_id == audience.session_type_id)
    return [_Row(*row) for row in db.session.execute(query)]


def _utc(instant: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


def session_values(
    start_at: datetime | None, end_at: datetime | None, room: str | None, time_zone: str
) -> dict[str, str]:
    """``session_day``, ``session_time`` and ``session_room`` in the event's zone, in the
    current language.

    e.g. ``{"session_day": "Saturday 2031-05-17", "session_time": "10:00\u201310:30
    (Europe/Brussels)", "session_room": "Room A"}``; each is "not scheduled yet" without a
    slot (never blank).
    """
    if start_at is None or end_at is None:
        return dict.fromkeys(("session_day", "session_time", "session_room"), str(NOT_SCHEDULED))
    zone = ZoneInfo(time_zone)
    start, end = _utc(start_at).astimezone(zone), _utc(end_at).astimezone(zone)
    english = current_language() == DEFAULT_LANGUAGE
    return {
        "session_day": f"{start:%A %Y-%m-%d}" if english else format_wall(start, "day"),
        "session_time": f"{start:%H:%M}\u2013{end:%H:%M} ({time_zone})",
        "session_room": room or str(NOT_SCHEDULED),
    }


def render_speaker_mails(
    *, event: Event, audience: Audience, subject: str, body: str
) -> list[SpeakerMail]:
    """The mails the audience would get, one per speaker where the rendered text is the same.

    A fixed number of queries whatever the size of the group. Ordered by address.

    Raises:
        podium.mail.emails.TextError: empty subject/text or a placeholder not in
            :data:`COMPOSE_PLACEHOLDERS`.
        ValueError: unknown group.
    """
    if audience.group not in GROUPS:
        raise ValueError(f"unknown group {audience.group!r}")
    subject, body = check_text(subject, body, COMPOSE_PLACEHOLDERS)
    from podium.review.services import confirmation_link

    event_url = external_url("program.event", slug=event.slug)
    mails: dict[tuple[str, str, str], SpeakerMail] = {}
    # The organizers write one text; its days are in the event's default language.
    language = mail_language(None, event.default_language)
    for row in _rows(event, audience):
        with force_locale(language):
            session = session_values(row.start_at, row.end_at, row.room, event.time_zone)
        values = {
            "speaker_name": row.speaker_name,
            "submission_title": row.title,
            "confirmation_link": confirmation_link(event, row.submission_id),
            "event_name": event.name,
            "event_url": event_url,
            **session,
        }
        text = (fill_placeholders(subject, values), fill_placeholders(body, values))
        key = (row.email.lower(), *text)
        mail = mails.setdefault(key, SpeakerMail(row.email, row.speaker_name, *text))
        if row.submission_id not in mail.submission_ids:
            mail.submission_ids.append(row.submission_id)
    return list(mails.values())


def hold_speaker_mails(
    *,
    event: Event,
    mails: Sequence[SpeakerMail],
    kind: str,
    extra: Mapping[str, object] | None = None,
) -> int:
    """Put ``mails`` in the outbox as ``held`` (one INSERT for all of them) and commit.

    ``kind`` is stored as ``OutboxMail.kind`` (``speaker_mail``, ``schedule_change``...);
    ``extra`` is added to every mail's context.

    Returns:
        how many mails were held.
    """
    rows = []
    for mail in mails:
        context: dict[str, object] = {
            **(extra or {}),
            "subject": mail.subject,
            "body": mail.body,
            "submission_ids": mail.submission_ids,
        }
        rendered_subject, text, html = render_mail(TEXT_TEMPLATE, context, mail.language or None)
        rows.append(
            {
                "event_id": event.id,
                "language": mail.language,
                "recipients": [mail.to],
                "subject": rendered_subject,
                "body_text": text,
                "body_html": html,
                "kind": kind,
                "context": context,
                "state": MailState.HELD.value,
                "message_id": new_message_id(),
            }
        )
    if rows:
        db.session.execute(insert(OutboxMail), rows)
    db.session.commit()
    return len(rows)


def hold_mail_to_speakers(*, event: Event, audience: Audience, subject: str, body: str) -> int:
    """Render the organizer's mail for ``audience`` and hold it in the outbox (see above).

    Returns:
        how many mails were held (0 when nobody in the group has an address).

    Raises:
        podium.mail.emails.TextError: as :func:`render_speaker_mails`.
    """
    mails = render_speaker_mails(event=event, audience=audience, subject=subject, body=body)
    return hold_speaker_mails(event=event, mails=mails, kind=SPEAKER_MAIL_KIND)


# --- after a schedule release: notify the speakers whose sessions moved -------------------------

SCHEDULE_CHANGE_KIND = "schedule_change"


@dataclass
class SessionChange:
    """One session of a release's changelog that moved, changed room or was canceled.

    ``description`` is the ``{schedule_change}`` placeholder's value, in the event's zone.
    """

    guid: str
    title: str
    description: str


def _local(iso_utc: str, time_zone: str) -> str:
    instant = _utc(datetime.fromisoformat(iso_utc.replace("Z", "+00:00")))
    local = instant.astimezone(ZoneInfo(time_zone))
    # The abbreviation (CEST/CET) tells apart the two 02:30s of the night summer time ends.
    if current_language() == DEFAULT_LANGUAGE:
        return f"{local:%A %Y-%m-%d %H:%M %Z}"
    return f"{format_wall(local, 'day_time')} {local:%Z}"


def release_changes(
    release: ScheduleRelease, time_zone: str, language: str | None = None
) -> list[SessionChange]:
    """The sessions a release moved, put in another room or canceled, in changelog order.

    The release's ``changelog`` holds ISO 8601 UTC instants, rendered here in ``time_zone``
    (e.g. "moved from Saturday 2031-05-17 10:00 CEST to Saturday 2031-05-17 11:00 CEST
    (Europe/Brussels)"), in ``language`` (default: the current one). New sessions are not
    changes for their speakers (their acceptance told them).
    """
    if language:
        with force_locale(language):
            return release_changes(release, time_zone)
    log = release.changelog or {}
    changes: dict[str, SessionChange] = {}

    def add(entry: dict[str, object], text: str) -> None:
        guid = str(entry["guid"])
        change = changes.setdefault(guid, SessionChange(guid, str(entry["title"]), ""))
        change.description = f"{change.description}; {text}" if change.description else text

    for entry in log.get("moved", []):
        text = _(
            "moved from %(old)s to %(new)s (%(zone)s)",
            old=_local(entry["from_start"], time_zone),
            new=_local(entry["to_start"], time_zone),
            zone=time_zone,
        )
        if entry.get("from_minutes") != entry.get("to_minutes"):
            text += _(
                ", now %(new)s minutes instead of %(old)s",
                new=entry["to_minutes"],
                old=entry["from_minutes"],
            )
        add(entry, text)
    for entry in log.get("room_changed", []):
        add(
            entry,
            _(
                "room changed from %(old)s to %(new)s",
                old=entry["from_room"],
                new=entry["to_room"],
            ),
        )
    for entry in log.get("canceled", []):
        add(
            entry,
            _(
                "canceled (it was on %(start)s (%(zone)s) in %(room)s)",
                start=_local(entry["start"], time_zone),
                zone=time_zone,
                room=entry["room"],
            ),
        )
    return list(changes.values())


def latest_release(event: Event) -> ScheduleRelease | None:
    """The event's newest :class:`ScheduleRelease`, or None (one query)."""
    return db.session.scalars(
        select(ScheduleRelease)
        .where(ScheduleRelease.event_id == event.id)
        .order_by(ScheduleRelease.version.desc())
        .limit(1)
    ).first()


def notices_held_for(event: Event, version: int) -> int:
    """How many schedule-change notices of release ``version`` are in the outbox (one query)."""
    contexts = db.session.scalars(
        select(OutboxMail.context).where(
            OutboxMail.event_id == event.id, OutboxMail.kind == SCHEDULE_CHANGE_KIND
        )
    )
    return sum(1 for context in contexts if (context or {}).get("release_version") == version)


def render_schedule_notices(*, event: Event, release: ScheduleRelease) -> list[SpeakerMail]:
    """The notices for ``release``'s moved sessions, from the event's schedule-change text.

    One mail per speaker and changed session (their texts differ). A fixed number of queries.
    """
    changes = {c.guid: c for c in release_changes(release, event.time_zone)}
    if not changes:
        return []
    texts = EventTexts(event.id, event.default_language)
    by_language: dict[str, dict[str, SessionChange]] = {}
    event_url = external_url("program.event", slug=event.slug)
    rows = db.session.execute(
        _speaker_slots(event, Submission.guid, Submission.id, Submission.title).where(
            Submission.guid.in_(changes)
        )
    )
    mails = []
    for guid, submission_id, title, name, email, start_at, end_at, room, user_language in rows:
        # Each speaker reads the notice in their language (see podium.mail.emails.EventTexts).
        language = mail_language(user_language, event.default_language)
        text_language, subject, body, _own = texts.choose(SCHEDULE_CHANGE_KIND, language)
        if text_language not in by_language:
            by_language[text_language] = {
                c.guid: c for c in release_changes(release, event.time_zone, text_language)
            }
        with force_locale(text_language):
            values = {
                "speaker_name": name,
                "submission_title": title,
                "event_name": event.name,
                "event_url": event_url,
                "schedule_change": by_language[text_language][guid].description,
                **session_values(start_at, end_at, room, event.time_zone),
            }
        mails.append(
            SpeakerMail(
                email,
                name,
                fill_placeholders(subject, values),
                fill_placeholders(body, values),
                [submission_id],
                text_language,
            )
        )
    return mails


def hold_schedule_notices(*, event: Event) -> int:
    """Hold notices for the latest release's moved sessions (see :func:`render_schedule_notices`).

    Returns:
        how many notices were held; 0 when there is no release, nothing moved, or the
        notices of this release are already in the outbox (so a second click mails nobody
        twice).
    """
    release = latest_release(event)
    if release is None or notices_held_for(event, release.version):
        return 0
    mails = render_schedule_notices(event=event, release=release)
    return hold_speaker_mails(
        event=event,
        mails=mails,
        kind=SCHEDULE_CHANGE_KIND,
        extra={"release_version": release.version},
    )
