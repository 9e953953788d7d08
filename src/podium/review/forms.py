"""Forms of the review feature (Flask-WTF, so every POST carries a CSRF token)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from podium.events import times
from podium.events.times import MAX_YEAR, MIN_YEAR, LocalTimeError
from podium.forms import TextAreaField, WhichTimeField, resolve_local_time
from podium.review.emails import PLACEHOLDERS
from podium.review.scoring import CategoryView
from podium.security import MAX_ID


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """``(value, label)`` pairs as the option objects WTForms 3.3+ expects (tuples warn)."""
    return [SelectChoice(value, label) for value, label in pairs]  # type: ignore[arg-type]


class CsrfForm(FlaskForm):
    """A form with nothing but the CSRF token, for buttons that POST."""


class ReviewSettingsForm(FlaskForm):
    """Anonymised review, closing instant (event-local wall clock) and score scale."""

    anonymised_review = BooleanField(_l("Anonymised review (hide speaker names, bios, avatars)"))
    review_closes_at = StringField(
        _l("Review phase closes at (event's local time, empty for never)"),
        validators=[Optional()],
        render_kw={"type": "datetime-local"},
    )
    review_closes_at_fold = WhichTimeField()
    # Bounded so a huge number is a form error, not a database integer overflow.
    score_min = IntegerField(
        _l("Lowest score"), validators=[InputRequired(), NumberRange(min=-1000, max=1000)]
    )
    score_max = IntegerField(
        _l("Highest score"), validators=[InputRequired(), NumberRange(min=-1000, max=1000)]
    )
    score_labels = TextAreaField(
        _l("Labels, one per line as 'value = label' (e.g. '3 = Must have')"),
        validators=[Optional(), Length(max=5000)],
    )
    reviews_per_submission = IntegerField(
        _l("Reviews wanted per submission (the dashboard lists submissions with fewer)"),
        default=2,
        validators=[Optional(), NumberRange(min=1, max=50)],
    )

    def closes_at_utc(self, time_zone: str) -> datetime | None:
        """The closing instant as aware UTC, reading the field in IANA ``time_zone``.

        Raises:
            ValidationError: malformed, a year out of range, a wall-clock time skipped by a
                DST change, or one that happens twice while ``review_closes_at_fold`` does
                not say which (it then offers both).
        """
        return local_to_utc(self.review_closes_at.data, time_zone, which=self.review_closes_at_fold)

    def parsed_labels(self) -> dict[int, str]:
        """The labels as ``{value: label}``.

        Raises:
            ValidationError: a line is not ``<integer> = <label>``.
        """
        return parse_labels(self.score_labels.data)


def local_to_utc(
    value: str | None, time_zone: str, *, which: WhichTimeField | None = None
) -> datetime | None:
    """A ``YYYY-MM-DDTHH:MM`` wall-clock time in IANA ``time_zone`` as aware UTC (``None``
    when empty).

    A time that happens twice (clocks going back) takes the occurrence chosen in ``which``
    (see :func:`podium.forms.resolve_local_time`); without ``which`` it is refused, naming
    both occurrences, so the organizer picks a time outside the repeated hour.

    Raises:
        ValidationError: malformed, a year out of range, a time skipped by a DST change, or
            one that happens twice and is not chosen.
    """
    raw = (value or "").strip()
    if not raw:
        return None
    try:
        naive = datetime.strptime(raw, "%Y-%m-%dT%H:%M")  # noqa: DTZ007  zone attached below
    except ValueError as exc:
        raise ValidationError(_("use the form YYYY-MM-DDTHH:MM")) from exc
    if not MIN_YEAR <= naive.year <= MAX_YEAR:
        # Years near 1 or 9999 overflow datetime when converted to UTC.
        raise ValidationError(
            _("enter a year between %(first)s and %(last)s", first=MIN_YEAR, last=MAX_YEAR)
        )
    try:
        if which is not None:
            return resolve_local_time(naive, which, time_zone)
        return times.local_to_utc(naive, time_zone)
    except LocalTimeError as exc:
        raise ValidationError(str(exc)) from None


def parse_labels(text: str | None) -> dict[int, str]:
    """Scale labels written one per line as ``value = label``, as ``{value: label}``.

    Raises:
        ValidationError: a line is not ``<integer> = <label>``.
    """
    labels: dict[int, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        value, sep, label = line.partition("=")
        try:
            key = int(value.strip())
        except ValueError:
            key = None
        if not sep or key is None or not label.strip():
            raise ValidationError(_("line %(number)s: write it as 'value = label'", number=number))
        labels[key] = label.strip()[:100]
    return labels


class AssignmentForm(FlaskForm):
    """Assign a reviewer to everything, one track or one submission."""

    reviewer_id = SelectField(_l("Reviewer"), coerce=int, validators=[InputRequired()])
    scope = RadioField(
        _l("Covers"),
        choices=choices(
            [
                ("all", _l("All submissions")),
                ("track", _l("One track")),
                ("submission", _l("One submission")),
            ]
        ),
        default="all",
        validators=[InputRequired()],
    )
    track_id = SelectField(_l("Track"), coerce=int, validators=[Optional()])
    submission_id = SelectField(_l("Submission"), coerce=int, validators=[Optional()])


class ConflictForm(FlaskForm):
    """Declare a conflict of interest with one submission."""

    reason = StringField(
        _l("Reason (optional, only organizers see it)"), validators=[Length(max=500)]
    )


class DecisionForm(FlaskForm):
    """Set or clear the pending decision of the ticked submissions."""

    submission_ids = SelectMultipleField(_l("Submissions"), coerce=int, validate_choice=False)

    def validate_submission_ids(self, field: SelectMultipleField) -> None:
        # Any other number is no submission and would overflow the database's INTEGER.
        if any(not 1 <= value <= MAX_ID for value in field.data or []):
            raise ValidationError(_("unknown submission"))

    decision = SelectField(
        _l("Decision"),
        choices=choices(
            [
                ("accepted", _l("Accept")),
                ("rejected", _l("Reject")),
                ("", _l("Clear pending decision")),
            ]
        ),
        # No Optional(): it would skip the choice check for " ", which is no decision; ""
        # (clear) is one of the choices.
        validators=[],
    )


class TemplateForm(FlaskForm):
    """One decision mail text with ``{placeholders}``."""

    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=300)])
    body = TextAreaField(
        _l(
            "Text (placeholders: %(names)s)",
            names=", ".join("{" + p + "}" for p in PLACEHOLDERS),
        ),
        validators=[DataRequired(), Length(max=20000)],
    )


class MailEditForm(FlaskForm):
    """Edit one held decision mail before it is sent."""

    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=300)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=20000)])


class AnswerForm(FlaskForm):
    """An accepted speaker's answer."""

    answer = RadioField(
        _l("Answer"),
        choices=choices(
            [("confirmed", _l("I will present it")), ("declined", _l("I cannot present it"))]
        ),
        validators=[InputRequired()],
    )


class AutoAssignForm(FlaskForm):
    """Reviewers per proposal (N) and an optional cap on each reviewer's total load.

    The preview reads it from the query string (``meta={"csrf": False}``); applying posts it
    with CSRF.
    """

    per_proposal = IntegerField(
        _l("Reviewers per proposal"),
        validators=[InputRequired(), NumberRange(min=1, max=50)],
    )
    cap = IntegerField(
        _l("Most proposals per reviewer (empty for no limit)"),
        validators=[Optional(), NumberRange(min=0, max=100000)],
    )


def score_choices(category: CategoryView) -> list[SelectChoice]:
    """The radio options of ``category``'s scale: ``"3 · Must have"`` where a label exists."""
    return choices(
        (v, f"{v} · {category.label(v)}" if category.label(v) else str(v))
        for v in category.values()
    )


def review_form(
    categories: Sequence[CategoryView], data: dict[str, object] | None = None
) -> FlaskForm:
    """A review form for a submission scored on ``categories`` (those applying to it).

    One required radio group per category, named ``score`` when there is only one (the form
    every event had before categories) and ``score_<category id>`` otherwise, then the
    comment. ``data`` pre-fills it (ignored when the request has form data).
    """
    fields: dict[str, object] = {}
    for category in categories:
        name = "score" if len(categories) == 1 else f"score_{category.id}"
        label = (
            _("Score")
            if len(categories) == 1
            else _("%(name)s (weight %(weight)s)", name=category.name, weight=category.weight)
        )
        fields[name] = RadioField(
            label,
            coerce=int,
            choices=score_choices(category),
            validators=[InputRequired(message=_("give a score for %(name)s", name=category.name))],
        )
    fields["comment"] = TextAreaField(_("Comment"), validators=[Optional(), Length(max=10000)])
    form_class = type("CategoryReviewForm", (FlaskForm,), fields)
    return form_class(data=data)  # type: ignore[no-any-return]


class CategoryForm(FlaskForm):
    """A score category: name, what it asks, scale with labels, weight, tracks it is for."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    help_text = TextAreaField(
        _l("What reviewers judge here (shown above its scale)"),
        validators=[Optional(), Length(max=2000)],
    )
    score_min = IntegerField(
        _l("Lowest score"),
        default=0,
        validators=[InputRequired(), NumberRange(min=-1000, max=1000)],
    )
    score_max = IntegerField(
        _l("Highest score"),
        default=3,
        validators=[InputRequired(), NumberRange(min=-1000, max=1000)],
    )
    labels = TextAreaField(
        _l("Labels, one per line as 'value = label' (e.g. '3 = Must have')"),
        validators=[Optional(), Length(max=5000)],
    )
    weight = IntegerField(
        _l("Weight in the total (1-100)"),
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=100)],
    )
    track_ids = SelectMultipleField(
        _l("Only for these tracks (select none for every submission)"),
        coerce=int,
        validators=[Optional()],
    )


class PhaseForm(FlaskForm):
    """A review phase: name, optional dates (event-local wall clock) and what it allows."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    starts_at = StringField(
        _l("Starts at (event's local time, empty: no start)"),
        validators=[Optional()],
        render_kw={"type": "datetime-local"},
    )
    ends_at = StringField(
        _l("Ends at (event's local time, empty: no end)"),
        validators=[Optional()],
        render_kw={"type": "datetime-local"},
    )
    can_review = BooleanField(_l("Reviewers can score"), default=True)
    can_see_other_reviews = BooleanField(_l("Reviewers see other reviewers' scores and comments"))
    can_see_speaker_names = BooleanField(_l("Speaker names are shown to reviewers"), default=True)
    speakers_can_edit = BooleanField(_l("Speakers can still edit their submissions"), default=True)
