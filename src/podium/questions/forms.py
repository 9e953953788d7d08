"""The organizers' question form, and the answer fields added to the submission form.

Answer fields carry no validators of their own: :func:`podium.questions.services.clean_answers`
checks every answer, so the messages are the same whoever saves (form, organizer, tests) and
always name the question.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, DateInput, ListWidget, URLInput

from podium.events.forms import choice
from podium.events.models import Event
from podium.forms import TextAreaField
from podium.questions.enums import KIND_LABELS, TARGET_LABELS, QuestionKind
from podium.questions.models import Answer, Question
from podium.questions.services import answer_field


class _Checkboxes(SelectMultipleField):
    """Several options as a list of check boxes (keyboard and screen-reader friendly)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuestionForm(FlaskForm):
    """A question as organizers define it; choices of session types and tracks per event."""

    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=300)])
    help_text = TextAreaField(
        _l("Help text"),
        validators=[Length(max=2000)],
        description=_l("Shown below the question."),
    )
    kind = SelectField(
        _l("Kind of answer"), choices=[choice(k.value, v) for k, v in KIND_LABELS.items()]
    )
    options = TextAreaField(
        _l("Options"),
        validators=[Length(max=10000)],
        description=_l("Choice questions only: one option per line, in the order shown."),
    )
    min_number = FloatField(_l("Smallest number allowed"), validators=[Optional()])
    max_number = FloatField(_l("Largest number allowed"), validators=[Optional()])
    target = SelectField(
        _l("Asked about"), choices=[choice(k.value, v) for k, v in TARGET_LABELS.items()]
    )
    required = BooleanField(_l("An answer is required to submit"))
    session_types = _Checkboxes(
        _l("Only for these session types"),
        coerce=int,
        validate_choice=False,
        description=_l("None ticked: asked of every proposal."),
    )
    tracks = _Checkboxes(
        _l("Only for these tracks"),
        coerce=int,
        validate_choice=False,
        description=_l("None ticked: asked of every proposal."),
    )
    hidden_from_reviewers = BooleanField(
        _l("Hidden from reviewers"),
        description=_l("For answers that would identify the speaker under anonymised review."),
    )
    is_public = BooleanField(
        _l("Public"),
        description=_l(
            "The answer appears on the session page and in the API from the next schedule release."
        ),
    )


def question_form(event: Event, **kwargs: Any) -> QuestionForm:
    """A :class:`QuestionForm` whose session type and track choices are ``event``'s."""
    form = QuestionForm(**kwargs)
    form.session_types.choices = [choice(t.id, t.name) for t in event.session_types]
    form.tracks.choices = [choice(t.id, t.name) for t in event.tracks]
    return form


def fill_question_form(form: QuestionForm, question: Question) -> None:
    """Put ``question``'s definition into ``form`` (for a GET of the edit page)."""
    form.label.data = question.label
    form.help_text.data = question.help_text
    form.kind.data = question.kind
    form.options.data = "\n".join(o.label for o in question.options)
    form.min_number.data = question.min_number
    form.max_number.data = question.max_number
    form.target.data = question.target
    form.required.data = question.required
    form.session_types.data = list(question.session_type_ids)
    form.tracks.data = list(question.track_ids)
    form.hidden_from_reviewers.data = question.hidden_from_reviewers
    form.is_public.data = question.is_public


def _scope_note(question: Question, event: Event) -> str:
    names = [t.name for t in event.session_types if t.id in question.session_type_ids]
    names += [t.name for t in event.tracks if t.id in question.track_ids]
    return _("Only for: %(names)s.", names=", ".join(names)) if names else ""


def _unbound(question: Question, event: Event) -> UnboundField:
    label = question.label if question.required else _("%(label)s (optional)", label=question.label)
    description = " ".join(p for p in (question.help_text, _scope_note(question, event)) if p)
    common: dict[str, Any] = {"label": label, "description": description}
    options = [choice(str(o.id), o.label) for o in question.options]
    match QuestionKind(question.kind):
        case QuestionKind.LONG_TEXT:
            return TextAreaField(**common)
        case QuestionKind.BOOLEAN:
            return RadioField(
                choices=[choice("yes", _("Yes")), choice("no", _("No"))],
                validate_choice=False,
                **common,
            )
        case QuestionKind.SINGLE_CHOICE:
            return RadioField(choices=options, validate_choice=False, **common)
        case QuestionKind.MULTIPLE_CHOICE:
            return _Checkboxes(choices=options, validate_choice=False, **common)
        case QuestionKind.URL:
            return StringField(widget=URLInput(), **common)
        case QuestionKind.DATE:
            return StringField(widget=DateInput(), **common)
        case QuestionKind.NUMBER:
            return StringField(render_kw={"inputmode": "decimal"}, **common)
        case _:
            return StringField(**common)


def with_answer_fields(
    form_class: type[FlaskForm], questions: Iterable[Question], event: Event
) -> type[FlaskForm]:
    """A subclass of ``form_class`` with one answer field per question, named
    ``question_<id>``; its ``answer_names`` lists them in question order."""
    asked = list(questions)
    fields = {answer_field(q.id): _unbound(q, event) for q in asked}
    attrs: dict[str, Any] = {**fields, "answer_names": tuple(fields)}
    return type(form_class.__name__, (form_class,), attrs)


def answer_data(form: FlaskForm) -> dict[int, object]:
    """``{question id: raw answer}`` from a submitted form with answer fields."""
    names = getattr(form, "answer_names", ())
    return {int(name.removeprefix("question_")): form[name].data for name in names}


def fill_answers(form: FlaskForm, answers: Mapping[int, Answer]) -> None:
    """Put stored answers (``{question id: Answer}``) into the form's answer fields."""
    for name in getattr(form, "answer_names", ()):
        answer = answers.get(int(name.removeprefix("question_")))
        if answer is None:
            continue
        field = form[name]
        if isinstance(field, SelectMultipleField):
            field.data = [str(i) for i in answer.option_ids]
        elif isinstance(field, RadioField) and answer.option_ids:
            field.data = str(answer.option_ids[0])
        else:
            field.data = answer.value
