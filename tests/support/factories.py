"""factory_boy factories for Podium's models, committing through the app's session.

Use inside the ``app`` fixture: ``UserFactory(email="a@example.org")``. Times are aware UTC.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory

from podium.accounts.models import User
from podium.accounts.passwords import hash_password
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
from podium.events.models import Event, EventMembership, Room, SessionType, Track
from podium.extensions import db
from podium.schedule.models import Slot

DEFAULT_PASSWORD = "correct horse battery staple"


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731  resolved per test app
        sqlalchemy_session_persistence = "commit"


class UserFactory(_Base):
    """A confirmed user whose password is :data:`DEFAULT_PASSWORD`."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"User {n}")
    password_hash = factory.LazyFunction(lambda: hash_password(DEFAULT_PASSWORD))
    email_confirmed_at = factory.LazyFunction(lambda: datetime.now(UTC))
    security_stamp = factory.LazyFunction(lambda: secrets.token_hex(16))


class EventFactory(_Base):
    """A public event in Europe/Brussels whose CfP is open now."""

    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"conf-{n}")
    name = factory.Sequence(lambda n: f"Conference {n}")
    time_zone = "Europe/Brussels"
    start_date = factory.LazyFunction(lambda: datetime.now(UTC).date() + timedelta(days=60))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=1))
    is_public = True
    cfp_opens_at = factory.LazyFunction(lambda: datetime.now(UTC) - timedelta(days=1))
    cfp_closes_at = factory.LazyFunction(lambda: datetime.now(UTC) + timedelta(days=30))


class TrackFactory(_Base):
    class Meta:
        model = Track

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Track {n}")


class RoomFactory(_Base):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    position = factory.Sequence(lambda n: n)
    capacity = 100


class SessionTypeFactory(_Base):
    class Meta:
        model = SessionType

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Talk {n}")
    default_duration_minutes = 30


class MembershipFactory(_Base):
    """A team role; pass ``event`` and ``user``, ``role`` is organizer or reviewer."""

    class Meta:
        model = EventMembership

    event_id = factory.LazyAttribute(lambda o: o.event.id)
    user_id = factory.LazyAttribute(lambda o: o.user.id)
    role = "organizer"

    class Params:
        event = factory.SubFactory(EventFactory)
        user = factory.SubFactory(UserFactory)


class SpeakerProfileFactory(_Base):
    """A speaker profile; pass ``user`` to tie it to an account (its name is copied)."""

    class Meta:
        model = SpeakerProfile

    class Params:
        user = None

    user_id = factory.LazyAttribute(lambda o: o.user.id if o.user else None)
    name = factory.LazyAttribute(lambda o: o.user.name if o.user else "Imported Speaker")
    biography = "Speaks about things."


class SubmissionFactory(_Base):
    """A submitted 30-minute submission of ``event``; ``speaker`` (a profile) is its submitter."""

    class Meta:
        model = Submission

    event = factory.SubFactory(EventFactory)
    guid = factory.LazyFunction(lambda: str(uuid.uuid4()))
    title = factory.Sequence(lambda n: f"Submission {n}")
    abstract = "An abstract."
    duration_minutes = 30
    state = "submitted"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        speaker = kwargs.pop("speaker", None)
        submission = super()._create(model_class, *args, **kwargs)
        if speaker is not None:
            db.session.add(
                SubmissionSpeaker(submission=submission, speaker=speaker, is_submitter=True)
            )
            db.session.commit()
        return submission


class SlotFactory(_Base):
    """A 30-minute slot of ``event`` starting at ``start_at`` (aware UTC)."""

    class Meta:
        model = Slot

    class Params:
        event = factory.SubFactory(EventFactory)

    event_id = factory.LazyAttribute(lambda o: o.event.id)
    start_at = factory.LazyFunction(lambda: datetime(2030, 2, 1, 9, 0, tzinfo=UTC))
    end_at = factory.LazyAttribute(lambda o: o.start_at + timedelta(minutes=30))
