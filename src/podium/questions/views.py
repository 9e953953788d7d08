"""Pages of custom CfP questions: the organizers' list, add, edit, reorder, remove (archive),
restore, and the speakers' answers to questions about themselves."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from podium.cfp.permissions import organized_event_or_404, visible_event_or_404
from podium.cfp.queries import profile_of
from podium.events.models import Event
from podium.events.permissions import require_login
from podium.events.times import cfp_is_open
from podium.questions import queries, services
from podium.questions.enums import KIND_LABELS, TARGET_LABELS
from podium.questions.forms import (
    QuestionForm,
    answer_data,
    fill_answers,
    fill_question_form,
    question_form,
    with_answer_fields,
)
from podium.questions.permissions import event_question_or_404

bp = Blueprint("questions", __name__, template_folder="templates")

RENDERED = Any


def _input(form: QuestionForm) -> services.QuestionInput:
    return services.QuestionInput(
        label=form.label.data or "",
        kind=form.kind.data or "",
        target=form.target.data or "",
        help_text=form.help_text.data or "",
        required=bool(form.required.data),
        options=tuple((form.options.data or "").splitlines()),
        min_number=form.min_number.data,
        max_number=form.max_number.data,
        session_type_ids=tuple(form.session_types.data or ()),
        track_ids=tuple(form.tracks.data or ()),
        hidden_from_reviewers=bool(form.hidden_from_reviewers.data),
        is_public=bool(form.is_public.data),
    )


def _attach(form: QuestionForm, error: services.QuestionError) -> None:
    field = getattr(form, error.field, None)
    if field is None:
        flash(error.message, "error")
    else:
        field.errors = [*field.errors, error.message]


@bp.get("/orga/<slug>/questions/")
def list_questions(slug: str) -> RENDERED:
    """The event's questions in form order, archived ones below, with answer counts."""
    event = organized_event_or_404(slug)
    every = queries.event_questions(event.id, archived=True)
    return render_template(
        "questions/list.html",
        event=event,
        asked=[q for q in every if q.archived_at is None],
        archived=[q for q in every if q.archived_at is not None],
        counts=queries.answer_counts(event.id),
        kinds=KIND_LABELS,
        targets=TARGET_LABELS,
    )


def _render_form(event: Event, form: QuestionForm, question: Any = None, status: int = 200):  # type: ignore[no-untyped-def]
    return render_template("questions/form.html", event=event, form=form, question=question), status


@bp.route("/orga/<slug>/questions/new", methods=["GET", "POST"])
def new_question(slug: str) -> RENDERED:
    """Add a question (at the end of the form)."""
    event = organized_event_or_404(slug)
    form = question_form(event)
    if request.method == "GET":
        return _render_form(event, form)
    if form.validate_on_submit():
        try:
            question = services.create_question(event=event, data=_input(form))
        except services.QuestionError as error:
            _attach(form, error)
        else:
            flash(_("Question “%(label)s” added.", label=question.label), "success")
            return redirect(url_for("questions.list_questions", slug=slug))
    return _render_form(event, form, status=400)


@bp.route("/orga/<slug>/questions/<int:question_id>", methods=["GET", "POST"])
def edit_question(slug: str, question_id: int) -> RENDERED:
    """Change a question; answers already given are kept as they are."""
    event = organized_event_or_404(slug)
    question = event_question_or_404(event, question_id)
    if request.method == "GET":
        form = question_form(event, formdata=None)
        fill_question_form(form, question)
        return _render_form(event, form, question)
    form = question_form(event)
    if form.validate_on_submit():
        try:
            services.update_question(question=question, data=_input(form))
        except services.QuestionError as error:
            _attach(form, error)
        else:
            flash(_("Question “%(label)s” saved.", label=question.label), "success")
            return redirect(url_for("questions.list_questions", slug=slug))
    return _render_form(event, form, question, status=400)


@bp.post("/orga/<slug>/questions/<int:question_id>/move")
def move_question(slug: str, question_id: int) -> RENDERED:
    """Move a question one place up (``direction=up``) or down (``direction=down``)."""
    event = organized_event_or_404(slug)
    question = event_question_or_404(event, question_id)
    offsets = {"up": -1, "down": 1}
    direction = request.form.get("direction", "")
    if direction not in offsets or question.archived_at is not None:
        abort(400, _("Move an asked question up or down."))
    services.move_question(question=question, offset=offsets[direction])
    return redirect(url_for("questions.list_questions", slug=slug))


@bp.post("/orga/<slug>/questions/<int:question_id>/remove")
def remove_question(slug: str, question_id: int) -> RENDERED:
    """Stop asking a question: archived (answers kept) if answered, deleted otherwise."""
    event = organized_event_or_404(slug)
    question = event_question_or_404(event, question_id)
    label = question.label
    if services.remove_question(question=question):
        flash(
            _("“%(label)s” is no longer asked; its answers are kept (archived).", label=label),
            "success",
        )
    else:
        flash(_("“%(label)s” deleted; nobody had answered it.", label=label), "success")
    return redirect(url_for("questions.list_questions", slug=slug))


@bp.post("/orga/<slug>/questions/<int:question_id>/restore")
def restore_question(slug: str, question_id: int) -> RENDERED:
    """Ask an archived question again."""
    event = organized_event_or_404(slug)
    question = event_question_or_404(event, question_id)
    services.restore_question(question=question)
    flash(_("“%(label)s” is asked again.", label=question.label), "success")
    return redirect(url_for("questions.list_questions", slug=slug))


# -- speakers ----------------------------------------------------------------------------------


@bp.route("/<slug>/me/answers", methods=["GET", "POST"])
def my_answers(slug: str) -> RENDERED:
    """A speaker's answers to the event's questions about speakers (all their proposals share
    them); co-speakers who joined by invitation answer here. 404 without a live proposal."""
    event = visible_event_or_404(slug)
    require_login()
    profile = profile_of(current_user)
    asked = queries.speaker_questions(event.id, profile.id) if profile is not None else []
    if not asked:
        abort(404)
    form_class = with_answer_fields(FlaskForm, asked, event)
    open_now = cfp_is_open(event.cfp_opens_at, event.cfp_closes_at)
    if request.method == "GET":
        form = form_class(formdata=None)
        fill_answers(
            form,
            queries.current_answers(
                submission_id=None, speaker_id=profile.id, question_ids=[q.id for q in asked]
            ),
        )
        return _render_answers(event, form, open_now)
    form = form_class()
    if form.validate_on_submit():
        try:
            services.save_speaker_answers(
                event=event, profile_id=profile.id, questions=asked, raw=answer_data(form)
            )
        except services.AnswersClosedError as error:
            flash(error.message, "error")
            return _render_answers(event, form, open_now, status=403)
        except services.AnswerError as error:
            form[error.field].errors = [*form[error.field].errors, error.message]
        else:
            flash(_("Your answers are saved."), "success")
            return redirect(url_for("questions.my_answers", slug=slug))
    return _render_answers(event, form, open_now, status=400)


def _render_answers(event: Event, form: FlaskForm, open_now: bool, status: int = 200):  # type: ignore[no-untyped-def]
    return render_template(
        "questions/my_answers.html", event=event, form=form, open_now=open_now
    ), status
