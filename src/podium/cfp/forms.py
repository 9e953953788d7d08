"""Speaker and organizer forms: submission, speaker profile.

Choices that depend on the event (session types, tracks) are filled by :func:`submission_form`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from podium.cfp.services import AUDIENCE_LEVELS, LANGUAGES
from podium.events.forms import choice
from podium.events.models import Event
from podium.forms import TextAreaField
from podium.questions.forms import with_answer_fields
from podium.questions.models import Question

MAX_ABSTRACT = 2000
MAX_DESCRIPTION = 20000
MAX_NOTES = 5000
MAX_BIOGRAPHY = 10000


def _optional_int(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SubmissionForm(FlaskForm):
    """A submission as a speaker (or organizer) edits it, plus one co-speaker to invite."""

    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    abstract = TextAreaField(
        "Abstract",
        validators=[DataRequired(), Length(max=MAX_ABSTRACT)],
        description="A short summary for the program (Markdown).",
    )
    description = TextAreaField(
        "Description", validators=[Length(max=MAX_DESCRIPTION)], description="Markdown."
    )
    notes = TextAreaField(
        "Notes for the organizers",
        validators=[Length(max=MAX_NOTES)],
        description="Only organizers see these; never published.",
    )
    session_type = SelectField("Session type", coerce=_optional_int, validate_choice=True)
    track = SelectField("Track", coerce=_optional_int, validate_choice=True)
    duration_minutes = IntegerField(
        "Duration (minutes)",
        validators=[
            Optional(),
            NumberRange(min=1, max=24 * 60, message="Between 1 and 1440 minutes."),
        ],
        description="Leave empty for the session type's default.",
    )
    language = SelectField(
        "Language", choices=[choice(k, v) for k, v in LANGUAGES.items()], default="en"
    )
    audience_level = SelectField(
        "Audience level", choices=[choice(k, v) for k, v in AUDIENCE_LEVELS.items()], default="all"
    )
    co_speaker_email = EmailField(
        "Co-speaker's e-mail", validators=[Optional(), Email(), Length(max=254)]
    )
    co_speaker_name = StringField("Co-speaker's name", validators=[Length(max=200)])
    # Names of the custom questions' answer fields (see podium.questions.forms).
    answer_names: tuple[str, ...] = ()

    def validate_co_speaker_name(self, field: StringField) -> None:
        if self.co_speaker_email.data and not (field.data or "").strip():
            raise ValidationError("Enter the co-speaker's name.")

    def validate_session_type(self, field: SelectField) -> None:
        if len(field.choices) > 1 and field.data is None:
            raise ValidationError("Choose a session type.")


def submission_form(
    event: Event, *, questions: Sequence[Question] = (), **kwargs: Any
) -> SubmissionForm:
    """A :class:`SubmissionForm` whose session type and track choices are ``event``'s, with
    an answer field per custom question in ``questions`` (see :mod:`podium.questions`)."""
    form_class = (
        with_answer_fields(SubmissionForm, questions, event) if questions else SubmissionForm
    )
    form = form_class(**kwargs)
    form.session_type.choices = [choice("", "—")] + [
        choice(str(t.id), f"{t.name} ({t.default_duration_minutes} min)")
        for t in event.session_types
    ]
    form.track.choices = [choice("", "—")] + [choice(str(t.id), t.name) for t in event.tracks]
    return form


class ProfileForm(FlaskForm):
    """The speaker profile: display name, biography and avatar."""

    name = StringField("Display name", validators=[DataRequired(), Length(max=200)])
    biography = TextAreaField(
        "Biography", validators=[Length(max=MAX_BIOGRAPHY)], description="Markdown."
    )
    avatar = FileField(
        "Avatar",
        description="JPEG, PNG, GIF or WebP, at most 2 MiB; shrunk to 512x512. The public "
        "program shows it (and your name and biography) from the next schedule release.",
    )
    remove_avatar = BooleanField("Remove the current avatar")
