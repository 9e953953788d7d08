"""CfP pages: the call, submitting and editing proposals, co-speaker invitations, the speaker
profile and avatars, and the organizers' submission list with CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from podium.availability import queries as availability_queries
from podium.availability.forms import AvailabilityForm, add_row, availability_form, ranges_from
from podium.availability.ranges import Range
from podium.cfp import queries, services
from podium.cfp.avatars import AVATAR_NAME, avatar_folder
from podium.cfp.enums import SubmissionState, state_label
from podium.cfp.forms import ProfileForm, SubmissionForm, submission_form
from podium.cfp.models import Submission
from podium.cfp.permissions import (
    cancelable_invitation_or_403,
    may_cancel_invitation,
    may_remove_speaker,
    may_withdraw,
    organized_event_or_404,
    own_submission_or_404,
    pending_invitation_or_404,
    removable_speaker_or_403,
    review_phase_allows_speaker_edits,
    speaker_link_of,
    submission_speaker_or_404,
    visible_event_or_404,
    withdrawable_or_403,
)
from podium.events.models import Event
from podium.events.permissions import require_login
from podium.events.times import cfp_is_open
from podium.extensions import db
from podium.questions import queries as question_queries
from podium.questions.enums import QuestionTarget
from podium.questions.forms import answer_data, fill_answers
from podium.questions.models import Question
from podium.questions.queries import AnswerView
from podium.review import queries as review_queries
from podium.security import parse_id
from podium.spreadsheet import safe_cell

bp = Blueprint("cfp", __name__, template_folder="templates")
# ``{{ submission.state|state_label }}``: a state in the request's language.
bp.add_app_template_filter(state_label, "state_label")
# States from which withdrawing is no longer possible (see services.ALLOWED_TRANSITIONS).
WITHDRAW_FINAL_STATES = ("withdrawn", "canceled", "rejected", "declined")


def _attach(form: FlaskForm | None, error: services.SubmissionError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if isinstance(form, AvailabilityForm):
        # Shown above the embedded availability rows, next to what it is about.
        form.form_errors.append(error.message)
    elif field is None:
        flash(error.message, "error")
    else:
        field.errors = [*field.errors, error.message]


def _content(form: SubmissionForm) -> services.SubmissionContent:
    return services.SubmissionContent(
        title=form.title.data or "",
        abstract=form.abstract.data or "",
        description=form.description.data or "",
        notes=form.notes.data or "",
        session_type_id=form.session_type.data,
        track_id=form.track.data,
        duration_minutes=form.duration_minutes.data,
        language=form.language.data,
        audience_level=form.audience_level.data,
    )


def _co_speaker(form: SubmissionForm) -> services.CoSpeakerInput | None:
    email = (form.co_speaker_email.data or "").strip()
    if not email:
        return None
    return services.CoSpeakerInput(email=email, name=form.co_speaker_name.data or "")


def _window(event: Event) -> dict[str, object]:
    return {
        "cfp_open": cfp_is_open(event.cfp_opens_at, event.cfp_closes_at),
        "cfp_opens": services.local_when(event.cfp_opens_at, event.time_zone),
        "cfp_closes": services.local_when(event.cfp_closes_at, event.time_zone),
    }


@bp.get("/<slug>/cfp")
def cfp_page(slug: str):  # type: ignore[no-untyped-def]
    """The call for proposals: description, window in the event's zone, submit link."""
    event = visible_event_or_404(slug)
    return render_template("cfp/cfp.html", event=event, **_window(event))


@bp.route("/<slug>/submit", methods=["GET", "POST"])
def submit(slug: str):  # type: ignore[no-untyped-def]
    """Submit a proposal ("Submit") or keep it as a draft ("Save as draft")."""
    event = visible_event_or_404(slug)
    require_login()
    window = _window(event)
    form = submission_form(event, questions=question_queries.event_questions(event.id))
    availability = _availability_rows(event)
    window["availability"] = availability
    if request.method == "GET":
        return render_template("cfp/submit.html", event=event, form=form, **window)
    if availability is not None and AVAILABILITY_ADD in request.form:
        # "Add another range" only brings a blank row; nothing is saved yet.
        add_row(availability, event)
        return render_template("cfp/submit.html", event=event, form=form, **window)
    rows_ok, ranges = _availability_ranges(availability, event)
    if form.validate_on_submit() and rows_ok:
        try:
            submission = services.create_submission(
                event=event,
                submitter=current_user,
                content=_content(form),
                submit=request.form.get("action") != "draft",
                co_speaker=_co_speaker(form),
                form_token=request.form.get("form_token"),
                availability=ranges,
                answers=answer_data(form),
            )
        except services.DeadlineError as error:
            _attach(form, error)
            # The typed text comes back so nothing is lost, but the call is over.
            return render_template("cfp/submit.html", event=event, form=form, **window), 403
        except services.SubmissionError as error:
            _attach(availability if error.field == "availability" else form, error)
        else:
            if submission.state == SubmissionState.SUBMITTED:
                flash(_("“%(title)s” submitted.", title=submission.title), "success")
            else:
                flash(_("“%(title)s” saved.", title=submission.title), "success")
            return redirect(url_for("cfp.my_submissions", slug=slug))
    return render_template("cfp/submit.html", event=event, form=form, **window), 400


AVAILABILITY_PREFIX = "availability"
AVAILABILITY_ADD = f"{AVAILABILITY_PREFIX}-add_range"


def _availability_rows(event: Event) -> AvailabilityForm | None:
    """The availability rows the proposal form embeds when the event requires them."""
    if not event.availability_required:
        return None
    if request.method == "POST":
        return availability_form(
            event, formdata=request.form, prefix=AVAILABILITY_PREFIX, csrf=False
        )
    profile = queries.profile_of(current_user)
    saved = availability_queries.ranges_of(event, profile.id) if profile else []
    return availability_form(event, saved=saved, prefix=AVAILABILITY_PREFIX, csrf=False)


def _availability_ranges(
    form: AvailabilityForm | None, event: Event
) -> tuple[bool, list[Range] | None]:
    """``(rows valid, UTC ranges)`` from the embedded rows; ranges ``None`` without rows."""
    if form is None:
        return True, None
    ranges = ranges_from(form, event) if form.validate() else None
    return ranges is not None, ranges


@bp.get("/<slug>/me/")
def my_submissions(slug: str):  # type: ignore[no-untyped-def]
    """The current user's submissions to this event and their states."""
    event = visible_event_or_404(slug)
    require_login()
    submissions = queries.submissions_for_user(current_user, event=event)
    return render_template(
        "cfp/my_submissions.html",
        event=event,
        submissions=submissions,
        shown_state=_speaker_states(submissions),
        **_window(event),
    )


def _speaker_states(submissions: list[Submission]) -> Callable[[Submission], str]:
    """The state each submission shows its speakers: a decision whose mail is still held
    reads as "submitted" (see :func:`podium.review.queries.unannounced_decisions`)."""
    hidden = review_queries.unannounced_decisions(
        s.id for s in submissions if s.state in review_queries.DECIDED_STATES
    )
    return lambda s: review_queries.speaker_state(s.state, s.id in hidden)


def _speaker_can_edit(event: Event, submission: Submission) -> bool:
    return (
        bool(_window(event)["cfp_open"])
        and SubmissionState(submission.state) in services.SPEAKER_EDITABLE_STATES
        and review_phase_allows_speaker_edits(event)
    )


def _render_edit(event: Event, submission: Submission, form: SubmissionForm, status: int = 200):  # type: ignore[no-untyped-def]
    editable = _speaker_can_edit(event, submission)
    invitations = queries.pending_invitations(submission)
    return render_template(
        "cfp/edit.html",
        event=event,
        submission=submission,
        form=form,
        editable=editable,
        invitations=invitations,
        shown_state=_speaker_states([submission]),
        removable={
            link.speaker_id
            for link in submission.speakers
            # Leaving (one's own link) stays possible after the CfP closes.
            if (editable or link.speaker.user_id == current_user.id)
            and may_remove_speaker(current_user, submission, link)
        },
        # Link to the answers about oneself when the event asks this speaker any.
        speaker_questions=_asks_about_speaker(event, submission),
        can_withdraw=may_withdraw(current_user, submission)
        and submission.state not in WITHDRAW_FINAL_STATES,
        cancelable={
            invitation.id
            for invitation in invitations
            if editable and may_cancel_invitation(current_user, submission, invitation)
        },
        **_window(event),
    ), status


def _asks_about_speaker(event: Event, submission: Submission) -> bool:
    own = speaker_link_of(current_user, submission)
    return own is not None and bool(question_queries.speaker_questions(event.id, own.speaker_id))


def _saved_form(event: Event, submission: Submission) -> SubmissionForm:
    """The speaker's submission form filled from the saved submission (as on GET)."""
    own = queries.profile_of(current_user)
    return _filled_form(
        event,
        submission,
        question_queries.event_questions(event.id),
        own.id if own is not None else None,
    )


def _filled_form(
    event: Event, submission: Submission, asked: list[Question], speaker_id: int | None
) -> SubmissionForm:
    """The submission form filled from ``submission`` and its current answers to ``asked``
    (speaker questions answered by ``speaker_id``; None: submission questions only)."""
    form = submission_form(
        event,
        questions=asked,
        keep_language=submission.language,
        obj=submission,
        formdata=None,
    )
    form.session_type.data = submission.session_type_id
    form.track.data = submission.track_id
    fill_answers(
        form,
        question_queries.current_answers(
            submission_id=submission.id,
            speaker_id=speaker_id,
            question_ids=[q.id for q in asked],
        ),
    )
    return form


@bp.route("/<slug>/me/submissions/<int:submission_id>/edit", methods=["GET", "POST"])
def edit_submission(slug: str, submission_id: int):  # type: ignore[no-untyped-def]
    """Show one's own submission and edit it while the CfP is open (drafts may be submitted)."""
    event = visible_event_or_404(slug)
    submission = own_submission_or_404(event, submission_id)
    if request.method == "GET":
        return _render_edit(event, submission, _saved_form(event, submission))
    form = submission_form(
        event,
        questions=question_queries.event_questions(event.id),
        keep_language=submission.language,
    )
    if form.validate_on_submit():
        try:
            services.update_submission(
                submission=submission,
                actor=current_user,
                content=_content(form),
                submit=request.form.get("action") == "submit",
                co_speaker=_co_speaker(form),
                form_token=request.form.get("form_token"),
                answers=answer_data(form),
            )
        except services.DeadlineError as error:
            _attach(form, error)
            return _render_edit(event, submission, form, status=403)
        except services.SubmissionError as error:
            _attach(form, error)
            status = 403 if not error.field else 400
            return _render_edit(event, submission, form, status=status)
        flash(_("Saved."), "success")
        return redirect(url_for("cfp.edit_submission", slug=slug, submission_id=submission.id))
    return _render_edit(event, submission, form, status=400)


@bp.route("/<slug>/me/submissions/<int:submission_id>/withdraw", methods=["GET", "POST"])
def withdraw(slug: str, submission_id: int):  # type: ignore[no-untyped-def]
    """Withdraw one's own submission (the submitter only) after a confirmation step: GET (or
    a POST without ``confirm=withdraw``) shows what will happen; the confirmed POST withdraws
    and mails every speaker."""
    event = visible_event_or_404(slug)
    submission = withdrawable_or_403(own_submission_or_404(event, submission_id))
    refusal = _withdraw_refusal(submission)
    if request.method == "GET" or request.form.get("confirm") != "withdraw":
        return render_template(
            "cfp/withdraw.html",
            event=event,
            submission=submission,
            withdrawable=submission.state not in WITHDRAW_FINAL_STATES,
            refusal=refusal,
        )
    try:
        services.withdraw_submission(submission=submission, actor=current_user)
    except services.TransitionError:
        flash(refusal, "error")
        return redirect(url_for("cfp.my_submissions", slug=slug))
    flash(
        _("“%(title)s” withdrawn; its speakers are told by mail.", title=submission.title),
        "success",
    )
    return redirect(url_for("cfp.my_submissions", slug=slug))


def _withdraw_refusal(submission: Submission) -> str:
    """Why a submission cannot be withdrawn, in the state its speaker may see.

    A rejection whose mail is still held must not show through this message either.
    """
    shown = _speaker_states([submission])(submission)
    if shown != submission.state:
        return _("This proposal cannot be withdrawn now: please write to the organizers.")
    return _("A %(state)s submission cannot be withdrawn.", state=state_label(submission.state))


def _refused(event: Event, submission: Submission, error: services.SubmissionError):  # type: ignore[no-untyped-def]
    """The edit page again with the reason: 403 past the deadline, 409 if changed meanwhile."""
    flash(error.message, "error")
    if isinstance(error, services.InvitationUsedError):
        status = 409
    elif isinstance(error, services.DeadlineError) or not _speaker_can_edit(event, submission):
        status = 403
    else:
        status = 400
    return _render_edit(event, submission, _saved_form(event, submission), status=status)


@bp.post("/<slug>/me/submissions/<int:submission_id>/speakers/<int:speaker_id>/remove")
def remove_speaker(slug: str, submission_id: int, speaker_id: int):  # type: ignore[no-untyped-def]
    """Remove a co-speaker (the submitter) or leave the submission (a co-speaker)."""
    event = visible_event_or_404(slug)
    submission = own_submission_or_404(event, submission_id)
    link = removable_speaker_or_403(submission, speaker_id)
    speaker = link.speaker
    leaving = speaker.user_id == current_user.id
    try:
        services.remove_speaker(submission=submission, speaker=speaker, actor=current_user)
    except services.SubmissionError as error:
        return _refused(event, submission, error)
    if leaving:
        flash(_("You are no longer a speaker of “%(title)s”.", title=submission.title), "success")
        return redirect(url_for("cfp.my_submissions", slug=slug))
    flash(_("%(name)s is no longer a speaker of this submission.", name=speaker.name), "success")
    return redirect(url_for("cfp.edit_submission", slug=slug, submission_id=submission.id))


@bp.post("/<slug>/me/submissions/<int:submission_id>/invitations/<int:invitation_id>/cancel")
def cancel_invitation(slug: str, submission_id: int, invitation_id: int):  # type: ignore[no-untyped-def]
    """Cancel a pending co-speaker invitation; its link stops working."""
    event = visible_event_or_404(slug)
    submission = own_submission_or_404(event, submission_id)
    invitation = cancelable_invitation_or_403(submission, invitation_id)
    try:
        services.cancel_co_speaker_invitation(invitation=invitation, actor=current_user)
    except services.SubmissionError as error:
        return _refused(event, submission, error)
    flash(
        _(
            "The invitation to %(email)s is canceled; its link no longer works.",
            email=invitation.email,
        ),
        "success",
    )
    return redirect(url_for("cfp.edit_submission", slug=slug, submission_id=submission.id))


@bp.route("/invite/speaker/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):  # type: ignore[no-untyped-def]
    """Show a co-speaker invitation and accept it (POST); needs an account, so login first."""
    require_login()
    invitation = services.find_co_speaker_invitation(token)
    if invitation is None:
        abort(404, _("This invitation link is unknown, expired or already used."))
    submission = db.session.get(Submission, invitation.submission_id)
    event = db.session.get(Event, submission.event_id)
    if request.method == "POST":
        try:
            services.accept_co_speaker_invitation(invitation=invitation, user=current_user)
        except services.SubmissionError as error:
            # Another account used the link a moment earlier, or a speaker canceled it.
            abort(409, error.message)
        flash(_("You are now a speaker of “%(title)s”.", title=submission.title), "success")
        return redirect(url_for("cfp.my_submissions", slug=event.slug))
    return render_template(
        "cfp/invitation.html",
        invitation=invitation,
        submission=submission,
        event=event,
        profile=queries.profile_of(current_user),
    )


@bp.route("/speaker/profile", methods=["GET", "POST"])
def profile():  # type: ignore[no-untyped-def]
    """Edit one's speaker profile: display name, Markdown biography, avatar."""
    require_login()
    current = queries.profile_of(current_user)
    if request.method == "GET":
        form = ProfileForm(obj=current, formdata=None)
        if current is None:
            form.name.data = current_user.name
        return render_template("cfp/profile.html", form=form, profile=current)
    form = ProfileForm()
    if form.validate_on_submit():
        upload = form.avatar.data
        data = upload.read() if upload and getattr(upload, "filename", "") else None
        try:
            services.update_speaker_profile(
                user=current_user,
                name=form.name.data,
                biography=form.biography.data or "",
                avatar=data,
                remove_avatar=bool(form.remove_avatar.data),
            )
        except services.SubmissionError as error:
            _attach(form, error)
        else:
            flash(_("Profile saved."), "success")
            return redirect(url_for("cfp.profile"))
    return render_template("cfp/profile.html", form=form, profile=current), 400


@bp.get("/speaker/avatars/<name>")
def avatar(name: str):  # type: ignore[no-untyped-def]
    """Serve a stored avatar by its random file name (public, like the program)."""
    if not AVATAR_NAME.match(name):
        abort(404)
    folder = avatar_folder(current_app.config["UPLOAD_FOLDER"])
    response = send_from_directory(folder, name, max_age=86400)
    response.headers["Content-Disposition"] = "inline"
    return response


# -- organizers -------------------------------------------------------------------------------


def _filters() -> queries.SubmissionFilter:
    def _int(name: str) -> int | None:
        return parse_id(request.args.get(name, ""))

    state = request.args.get("state", "")
    return queries.SubmissionFilter(
        state=state if state in {s.value for s in SubmissionState} else None,
        track_id=_int("track"),
        session_type_id=_int("session_type"),
        speaker=request.args.get("speaker", "")[:200],
    )


@bp.get("/orga/<slug>/submissions")
def orga_submissions(slug: str):  # type: ignore[no-untyped-def]
    """All submissions of an event with filters and counts per state."""
    event = organized_event_or_404(slug)
    filters = _filters()
    listing = queries.organizer_listing(event, filters)
    return render_template(
        "cfp/orga_submissions.html",
        event=event,
        listing=listing,
        filters=filters,
        states=[s.value for s in SubmissionState],
        total=sum(listing.counts.values()),
    )


def _csv_cell(value: object) -> str:
    # Spreadsheets run cells starting with "=" and the like as formulas (CSV injection), also
    # at each line of a cell when they split on ";" (see podium.spreadsheet).
    return safe_cell(value)


CSV_COLUMNS = (
    "id",
    "guid",
    "title",
    "state",
    "session_type",
    "track",
    "duration_minutes",
    "language",
    "audience_level",
    "speakers",
    "speaker_emails",
    "submitted_at_utc",
)


def _question_header(question: Question) -> str:
    archived = question.archived_at is not None
    return f"question: {question.label}" + (" (archived)" if archived else "")


def _answer_cells(asked: list[Question], answers: list[AnswerView]) -> list[str]:
    """One cell per question in ``asked``: the answer, or ``name: answer; ...`` per speaker."""
    cells: dict[int, list[str]] = {}
    for answer in answers:
        shown = f"{answer.speaker}: {answer.value}" if answer.speaker else answer.value
        cells.setdefault(answer.question_id, []).append(shown)
    return ["; ".join(cells.get(q.id, [])) for q in asked]


@bp.get("/orga/<slug>/submissions.csv")
def orga_submissions_csv(slug: str):  # type: ignore[no-untyped-def]
    """The filtered list as CSV (UTF-8, comma separated, one row per submission)."""
    event = organized_event_or_404(slug)
    listing = queries.organizer_listing(event, _filters())
    out = io.StringIO()
    # Quote every cell: where ";" is the list separator (German Excel, say) an unquoted
    # "x;=cmd|..." title would split into a second cell that starts with "=".
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    # One column per custom question, archived ones too: their answers are kept for this.
    asked = question_queries.event_questions(event.id, archived=True)
    answers = (
        question_queries.answers_by_submission(event.id, (s.id for s in listing.submissions))
        if asked
        else {}
    )
    writer.writerow(CSV_COLUMNS + tuple(_question_header(q) for q in asked))
    for submission in listing.submissions:
        profiles = [link.speaker for link in submission.speakers]
        row = (
            submission.id,
            submission.guid,
            submission.title,
            submission.state,
            submission.session_type.name if submission.session_type else "",
            submission.track.name if submission.track else "",
            submission.duration_minutes,
            submission.language,
            submission.audience_level,
            "; ".join(p.name for p in profiles),
            "; ".join(listing.emails.get(p.id, "") for p in profiles),
            submission.submitted_at.isoformat() if submission.submitted_at else "",
            *_answer_cells(asked, answers.get(submission.id, [])),
        )
        writer.writerow([_csv_cell(v) for v in row])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}-submissions.csv"'},
    )


@bp.route("/orga/<slug>/submissions/<int:submission_id>", methods=["GET", "POST"])
def orga_submission(slug: str, submission_id: int):  # type: ignore[no-untyped-def]
    """One submission for organizers: everything incl. notes and history; editable any time."""
    event = organized_event_or_404(slug)
    submission = queries.event_submission(event, submission_id)
    if submission is None:
        abort(404)
    status = 200
    # Organizers edit the submission's answers; speaker questions are each speaker's own.
    asked = [
        q
        for q in question_queries.event_questions(event.id)
        if q.target == QuestionTarget.SUBMISSION
    ]
    if request.method == "GET":
        form = _filled_form(event, submission, asked, None)
    else:
        form = submission_form(event, questions=asked, keep_language=submission.language)
        if form.validate_on_submit():
            try:
                services.update_submission(
                    submission=submission,
                    actor=current_user,
                    content=_content(form),
                    co_speaker=_co_speaker(form),
                    as_organizer=True,
                    answers=answer_data(form),
                )
            except services.SubmissionError as error:
                _attach(form, error)
            else:
                flash(_("Saved."), "success")
                return redirect(
                    url_for("cfp.orga_submission", slug=slug, submission_id=submission.id)
                )
        status = 400
    return render_template(
        "cfp/orga_submission.html",
        event=event,
        submission=submission,
        form=form,
        invitations=queries.pending_invitations(submission),
        history=queries.state_history(submission),
        reviews=review_queries.submission_reviews(submission.id, event),
        answers=question_queries.answers_by_submission(event.id, [submission.id]).get(
            submission.id, []
        ),
    ), status


def _orga_submission_or_404(slug: str, submission_id: int) -> Submission:
    submission = queries.event_submission(organized_event_or_404(slug), submission_id)
    if submission is None:
        abort(404)
    return submission


@bp.post("/orga/<slug>/submissions/<int:submission_id>/speakers/<int:speaker_id>/remove")
def orga_remove_speaker(slug: str, submission_id: int, speaker_id: int):  # type: ignore[no-untyped-def]
    """Organizers remove a co-speaker of any submission, at any time (never the submitter)."""
    submission = _orga_submission_or_404(slug, submission_id)
    speaker = submission_speaker_or_404(submission, speaker_id).speaker
    try:
        services.remove_speaker(
            submission=submission, speaker=speaker, actor=current_user, as_organizer=True
        )
    except services.SubmissionError as error:
        abort(400, error.message)
    flash(_("%(name)s is no longer a speaker of this submission.", name=speaker.name), "success")
    return redirect(url_for("cfp.orga_submission", slug=slug, submission_id=submission.id))


@bp.post("/orga/<slug>/submissions/<int:submission_id>/invitations/<int:invitation_id>/cancel")
def orga_cancel_invitation(slug: str, submission_id: int, invitation_id: int):  # type: ignore[no-untyped-def]
    """Organizers cancel any pending co-speaker invitation, at any time."""
    submission = _orga_submission_or_404(slug, submission_id)
    invitation = pending_invitation_or_404(submission, invitation_id)
    try:
        services.cancel_co_speaker_invitation(
            invitation=invitation, actor=current_user, as_organizer=True
        )
    except services.SubmissionError as error:
        abort(409, error.message)
    flash(
        _(
            "The invitation to %(email)s is canceled; its link no longer works.",
            email=invitation.email,
        ),
        "success",
    )
    return redirect(url_for("cfp.orga_submission", slug=slug, submission_id=submission.id))


@bp.post("/orga/<slug>/submissions/<int:submission_id>/reopen")
def orga_reopen(slug: str, submission_id: int):  # type: ignore[no-untyped-def]
    """Organizers put a withdrawn proposal back to submitted (recorded with who and when)."""
    submission = _orga_submission_or_404(slug, submission_id)
    try:
        services.reopen_submission(submission=submission, actor=current_user)
    except services.TransitionError as error:
        flash(
            _(
                "“%(title)s” cannot be reopened: %(reason)s.",
                title=submission.title,
                reason=error,
            ),
            "error",
        )
    else:
        flash(_("“%(title)s” is submitted again.", title=submission.title), "success")
    return redirect(url_for("cfp.orga_submission", slug=slug, submission_id=submission.id))
