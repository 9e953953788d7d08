"""Speaker and organizer forms: submission, speaker profile.

Choices that depend on the event (session types, tracks) are filled by :func:`submission_form`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from babel import Locale, UnknownLocaleError
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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

from podium.cfp.services import AUDIENCE_LEVELS, offered_languages
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

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    abstract = TextAreaField(
        _l("Abstract"),
        validators=[DataRequired(), Length(max=MAX_ABSTRACT)],
        description=_l("A short summary for the program (Markdown)."),
    )
    description = TextAreaField(
        _l("Description"), validators=[Length(max=MAX_DESCRIPTION)], description=_l("Markdown.")
    )
    notes = TextAreaField(
        _l("Notes for the organizers"),
        validators=[Length(max=MAX_NOTES)],
        description=_l("Only organizers see these; never published."),
    )
    session_type = SelectField(_l("Session type"), coerce=_optional_int, validate_choice=True)
    track = SelectField(_l("Track"), coerce=_optional_int, validate_choice=True)
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=24 * 60, message=_l("Between 1 and 1440 minutes.")),
        ],
        description=_l("Leave empty for the session type's default."),
    )
    # Choices: the event's content languages (see submission_form); checked by
    # validate_language so the message names the field.
    language = SelectField(_l("Language"), validate_choice=False)
    audience_level = SelectField(
        _l("Audience level"),
        choices=[choice(k, v) for k, v in AUDIENCE_LEVELS.items()],
        default="all",
    )
    co_speaker_email = EmailField(
        _l("Co-speaker's e-mail"), validators=[Optional(), Email(), Length(max=254)]
    )
    co_speaker_name = StringField(_l("Co-speaker's name"), validators=[Length(max=200)])
    # Names of the custom questions' answer fields (see podium.questions.forms).
    answer_names: tuple[str, ...] = ()

    def validate_co_speaker_name(self, field: StringField) -> None:
        if self.co_speaker_email.data and not (field.data or "").strip():
            raise ValidationError(_("Enter the co-speaker's name."))

    def validate_language(self, field: SelectField) -> None:
        if field.data not in {c[0] for c in _choice_pairs(field.choices)}:
            raise ValidationError(_("Language: choose one of the languages this event offers."))

    def validate_session_type(self, field: SelectField) -> None:
        if len(field.choices) > 1 and field.data is None:
            raise ValidationError(_("Choose a session type."))


def _choice_pairs(choices: Any) -> list[tuple[Any, Any]]:
    return [(c[0], c[1]) if isinstance(c, tuple | list) else (c.value, c.label) for c in choices]


def language_name(code: str) -> str:
    """``code`` ("de", "pt-BR") named in the request's language ("German", "Deutsch"),
    capitalised as a list entry; the code itself when Babel does not know it."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    name = locale.get_display_name(get_locale() or "en") or code
    return name[:1].upper() + name[1:]


def language_choices(event: Event, keep: str | None = None) -> list[object]:
    """The event's content languages (default first) as select options named in the
    request's language, plus ``keep`` (a proposal's saved language no longer offered)."""
    codes = offered_languages(event)
    if keep and keep not in codes:
        codes.append(keep)
    return [choice(code, language_name(code)) for code in codes]


def submission_form(
    event: Event,
    *,
    questions: Sequence[Question] = (),
    keep_language: str | None = None,
    **kwargs: Any,
) -> SubmissionForm:
    """A :class:`SubmissionForm` whose session type, track and language choices are
    ``event``'s, with an answer field per custom question in ``questions`` (see
    :mod:`podium.questions`).

    The language defaults to the event's default language; ``keep_language`` (the saved
    language of the proposal being edited) stays a choice even when the event no longer
    offers it."""
    form_class = (
        with_answer_fields(SubmissionForm, questions, event) if questions else SubmissionForm
    )
    form = form_class(**kwargs)
    form.session_type.choices = [choice("", "—")] + [
        choice(str(t.id), f"{t.name} ({t.default_duration_minutes} min)")
        for t in event.session_types
    ]
    form.track.choices = [choice("", "—")] + [choice(str(t.id), t.name) for t in event.tracks]
    form.language.choices = language_choices(event, keep=keep_language)
    if not form.language.raw_data and kwargs.get("obj") is None:
        form.language.data = offered_languages(event)[0]
    return form


class ProfileForm(FlaskForm):
    """The speaker profile: display name, biography and avatar."""

    name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=200)])
    biography = TextAreaField(
        _l("Biography"), validators=[Length(max=MAX_BIOGRAPHY)], description=_l("Markdown.")
    )
    avatar = FileField(
        _l("Avatar"),
        description=_l(
            "JPEG, PNG, GIF or WebP, at most 2 MiB; shrunk to 512x512. The public "
            "program shows it (and your name and biography) from the next schedule release."
        ),
    )
    remove_avatar = BooleanField(_l("Remove the current avatar"))
