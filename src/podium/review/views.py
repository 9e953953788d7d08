"""Review pages: reviewers' list and score form, organizers' assignments and settings,
ranking (+ CSV), decisions and their mails, and speakers' confirmation.

Views validate, call one service, then redirect or render; reviewer-facing data always comes
from :mod:`podium.review.queries` projections.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from podium.db import utcnow
from podium.events.models import Event
from podium.forms import offer_stored_time
from podium.mail.services import queued_message, sender_configured
from podium.review import queries, services
from podium.review.emails import DEFAULT_TEMPLATES, PLACEHOLDERS
from podium.review.enums import (
    REVIEWABLE_STATES,
    STATE_LABELS,
    BidPreference,
    ConfirmationAnswer,
    DecisionKind,
)
from podium.review.forms import (
    AnswerForm,
    AssignmentForm,
    AutoAssignForm,
    CategoryForm,
    ConflictForm,
    CsrfForm,
    DecisionForm,
    MailEditForm,
    PhaseForm,
    ReviewSettingsForm,
    TemplateForm,
    choices,
    local_to_utc,
    parse_labels,
    review_form,
)
from podium.review.permissions import (
    event_or_404,
    phase_rules,
    require_login,
    require_organizer,
    require_reviewer,
    speaker_names_visible,
)
from podium.review.scoring import CategoryView, applicable
from podium.security import parse_id
from podium.spreadsheet import safe_cell

bp = Blueprint("review", __name__, template_folder="templates")

RENDERED = str | tuple[str, int] | BaseResponse


# Stored states stay English; review pages (and the macros they import, which see globals but
# not the context) show them in the request's language.
bp.add_app_template_global(STATE_LABELS, "review_state_labels")


# --- helpers ---------------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    # Our own numbers (a mean of -0.5 on a -2..2 scale) stay numbers; text never runs as a
    # formula, whether the spreadsheet splits on "," or ";" (see podium.spreadsheet).
    return safe_cell(value)


def _csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    buffer = io.StringIO()
    # Quote every cell: where ";" is the list separator (German Excel, say) an unquoted
    # "x;=cmd|..." title would split into a second cell that starts with "=".
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _fail(form: Any, error: services.ReviewError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


def _my_items(event: Event, submission_id: int | None = None) -> list[queries.ReviewItem]:
    """The current reviewer's items, speakers shown only as the review phase allows."""
    return queries.reviewer_items(
        event,
        current_user.id,
        show_speakers=speaker_names_visible(event),
        submission_id=submission_id,
    )


# --- reviewers -------------------------------------------------------------------------------


@bp.get("/review/<slug>/")
def list_submissions(slug: str) -> RENDERED:
    """The reviewer's assigned submissions with their own scores."""
    event = event_or_404(slug)
    require_reviewer(event)
    items = _my_items(event)
    rules = phase_rules(event)
    return render_template(
        "review/list.html",
        event=event,
        items=items,
        reviewed=sum(1 for i in items if i.reviewed),
        is_open=rules.can_review,
        rules=rules,
    )


@bp.get("/review/<slug>/submissions.csv")
def export_csv(slug: str) -> RENDERED:
    """The reviewer's assigned submissions as CSV (same projection as the pages)."""
    event = event_or_404(slug)
    require_reviewer(event)
    items = _my_items(event)
    header = ["id", "title", "track", "session_type", "duration_minutes", "language"]
    header += ["speakers", "my_score", "my_comment"]
    rows = [
        [
            i.id,
            i.title,
            i.track,
            i.session_type,
            i.duration_minutes,
            i.language,
            "; ".join(s.name for s in i.speakers),
            i.my_score,
            i.my_comment,
        ]
        for i in items
    ]
    return _csv_response(header, rows, f"{event.slug}-review.csv")


@bp.get("/review/<slug>/submissions.json")
def export_json(slug: str) -> RENDERED:
    """The reviewer's assigned submissions as JSON ``{"event", "anonymised", "submissions"}``."""
    event = event_or_404(slug)
    require_reviewer(event)
    items = _my_items(event)
    body = {
        "event": event.slug,
        "anonymised": not speaker_names_visible(event),
        "submissions": [i.as_export() for i in items],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")


def _reviewer_item(event: Event, submission_id: int) -> queries.ReviewItem:
    items = _my_items(event, submission_id)
    if not items:
        abort(404)
    return items[0]


def _render_review(
    event: Event,
    item: queries.ReviewItem,
    form: Any,
    categories: list[CategoryView],
    status: int = 200,
) -> RENDERED:
    rules = phase_rules(event)
    others = []
    if rules.can_see_other_reviews:
        others = [
            e
            for e in queries.submission_reviews(item.id, event)
            if e.reviewer_id != current_user.id
        ]
    return (
        render_template(
            "review/submission.html",
            event=event,
            item=item,
            form=form,
            categories=categories,
            score_fields=[(c, form[services.score_field(c, categories)]) for c in categories],
            conflict_form=ConflictForm(),
            is_open=rules.can_review,
            closed=event.review_closes_at is not None and utcnow() >= event.review_closes_at,
            rules=rules,
            show_speakers=rules.can_see_speaker_names,
            others=others,
        ),
        status,
    )


def _item_categories(event: Event, item: queries.ReviewItem) -> list[CategoryView]:
    return applicable(queries.categories_of(event), item.track_id)


@bp.get("/review/<slug>/<int:submission_id>")
def show_submission(slug: str, submission_id: int) -> RENDERED:
    """One assigned submission and the reviewer's score form (404 when not visible)."""
    event = event_or_404(slug)
    require_reviewer(event)
    item = _reviewer_item(event, submission_id)
    categories = _item_categories(event, item)
    data: dict[str, object] | None = None
    if item.reviewed:
        data = {"comment": item.my_comment}
        for c in categories:
            data[services.score_field(c, categories)] = item.my_scores.get(c.id or 0)
    return _render_review(event, item, review_form(categories, data), categories)


@bp.post("/review/<slug>/<int:submission_id>")
def save_review(slug: str, submission_id: int) -> RENDERED:
    """Create or update the reviewer's review (one score per applicable category)."""
    event = event_or_404(slug)
    require_reviewer(event)
    item = _reviewer_item(event, submission_id)
    categories = _item_categories(event, item)
    form = review_form(categories)
    if form.validate():
        values = [form[services.score_field(c, categories)].data for c in categories]
        try:
            services.save_review(
                event=event,
                reviewer=current_user,
                submission_id=item.id,
                # The implicit category (no id yet) is stored by the service: pass its score.
                score=values[0] if len(categories) == 1 else None,
                scores={c.id: v for c, v in zip(categories, values, strict=True) if c.id}
                if len(categories) > 1
                else None,
                comment=form.comment.data or "",
            )
        except services.NotVisible:
            abort(404)
        except services.ReviewError as error:
            _fail(form, error)
        else:
            flash(_("Review saved."), "success")
            return redirect(url_for("review.list_submissions", slug=event.slug))
    return _render_review(event, item, form, categories, 400)


@bp.post("/review/<slug>/<int:submission_id>/conflict")
def declare_conflict(slug: str, submission_id: int) -> RENDERED:
    """Declare a conflict of interest; the submission disappears from the reviewer's list."""
    event = event_or_404(slug)
    require_reviewer(event)
    form = ConflictForm()
    if not form.validate():
        abort(400, _("the reason is too long (500 characters at most)"))
    try:
        services.declare_conflict(
            event=event,
            reviewer=current_user,
            submission_id=submission_id,
            reason=form.reason.data or "",
        )
    except services.NotVisible:
        abort(404)
    flash(_("Conflict recorded; the submission is hidden from you."), "success")
    return redirect(url_for("review.list_submissions", slug=event.slug))


# --- organizers: settings and assignments ------------------------------------------------------


def _assignment_form(event: Event) -> AssignmentForm:
    form = AssignmentForm()
    form.reviewer_id.choices = choices(
        sorted(queries.reviewer_names(event.id).items(), key=lambda p: p[1].casefold())
    )
    form.track_id.choices = choices([(0, "—")] + [(t.id, t.name) for t in event.tracks])
    form.submission_id.choices = choices([(0, "—"), *queries.submission_choices(event.id)])
    return form


def _settings_form(event: Event) -> ReviewSettingsForm:
    labels = event.score_labels or {}
    form = ReviewSettingsForm(
        data={
            "anonymised_review": event.anonymised_review,
            # An <input type=datetime-local> value: ISO whatever the page's language.
            "review_closes_at": (
                event.review_closes_at.astimezone(ZoneInfo(event.time_zone)).strftime(
                    "%Y-%m-%dT%H:%M"
                )
                if event.review_closes_at
                else ""
            ),
            "score_min": event.score_min,
            "score_max": event.score_max,
            "reviews_per_submission": event.reviews_per_submission,
            "score_labels": "\n".join(
                f"{k} = {v}" for k, v in sorted(labels.items(), key=lambda p: int(p[0]))
            ),
        }
    )
    # A closing time in the repeated hour of a DST change keeps its occurrence when re-saved.
    offer_stored_time(event.review_closes_at, form.review_closes_at_fold, event.time_zone)
    return form


def _category_form(event: Event, category: CategoryView | None = None) -> CategoryForm:
    data = None
    if category is not None:
        data = {
            "name": category.name,
            "help_text": category.help_text,
            "score_min": category.score_min,
            "score_max": category.score_max,
            "labels": "\n".join(
                f"{k} = {v}" for k, v in sorted(category.labels.items(), key=lambda p: int(p[0]))
            ),
            "weight": category.weight,
            "track_ids": sorted(category.track_ids),
        }
    form = CategoryForm(data=data)
    form.track_ids.choices = choices([(t.id, t.name) for t in event.tracks])
    return form


def _render_orga_review(
    event: Event,
    *,
    settings_form: ReviewSettingsForm | None = None,
    assignment_form: AssignmentForm | None = None,
    category_form: CategoryForm | None = None,
    phase_form: PhaseForm | None = None,
    status: int = 200,
) -> RENDERED:
    phases = queries.review_phases(event.id)
    return (
        render_template(
            "review/orga_review.html",
            event=event,
            settings_form=settings_form or _settings_form(event),
            assignment_form=assignment_form or _assignment_form(event),
            assignments=queries.assignments(event.id),
            delete_form=CsrfForm(),
            categories=queries.categories_of(event),
            track_names={t.id: t.name for t in event.tracks},
            category_form=category_form or _category_form(event),
            phases=phases,
            current=queries.pick_current_phase(phases, utcnow()),
            rules=phase_rules(event),
            phase_form=phase_form or PhaseForm(),
        ),
        status,
    )


@bp.get("/orga/<slug>/review/")
def orga_review(slug: str) -> RENDERED:
    """Review settings and reviewer assignments."""
    event = event_or_404(slug)
    require_organizer(event)
    return _render_orga_review(event)


@bp.post("/orga/<slug>/review/settings")
def update_settings(slug: str) -> RENDERED:
    """Save anonymisation, closing instant and score scale."""
    event = event_or_404(slug)
    require_organizer(event)
    form = ReviewSettingsForm()
    if form.validate():
        try:
            closes_at = form.closes_at_utc(event.time_zone)
        except ValueError as error:  # wtforms' ValidationError is a ValueError
            form.review_closes_at.errors = [str(error)]
            return _render_orga_review(event, settings_form=form, status=400)
        try:
            labels = form.parsed_labels()
        except ValueError as error:
            form.score_labels.errors = [str(error)]
            return _render_orga_review(event, settings_form=form, status=400)
        try:
            services.update_review_settings(
                event=event,
                anonymised=form.anonymised_review.data,
                closes_at=closes_at,
                score_min=form.score_min.data,
                score_max=form.score_max.data,
                labels=labels,
                reviews_per_submission=form.reviews_per_submission.data,
            )
        except services.ReviewError as error:
            _fail(form, error)
        else:
            flash(_("Review settings saved."), "success")
            return redirect(url_for("review.orga_review", slug=event.slug))
    return _render_orga_review(event, settings_form=form, status=400)


def _category_input(event: Event, form: CategoryForm) -> dict[str, Any] | None:
    """The service arguments of a valid category form; ``None`` (errors set) otherwise."""
    if not form.validate():
        return None
    try:
        labels = parse_labels(form.labels.data)
    except ValueError as error:
        form.labels.errors = [str(error)]
        return None
    return {
        "name": form.name.data or "",
        "help_text": form.help_text.data or "",
        "score_min": form.score_min.data,
        "score_max": form.score_max.data,
        "labels": labels,
        "weight": form.weight.data,
        "track_ids": form.track_ids.data or [],
    }


@bp.post("/orga/<slug>/review/categories")
def add_category(slug: str) -> RENDERED:
    """Add a score category."""
    event = event_or_404(slug)
    require_organizer(event)
    form = _category_form(event)
    values = _category_input(event, form)
    if values is not None:
        try:
            services.save_category(event=event, **values)
        except services.ReviewError as error:
            _fail(form, error)
        else:
            flash(_("Score category added."), "success")
            return redirect(url_for("review.orga_review", slug=event.slug) + "#categories")
    return _render_orga_review(event, category_form=form, status=400)


def _category_or_404(event: Event, category_id: int) -> CategoryView:
    found = [c for c in queries.categories_of(event) if c.id == category_id]
    if not found:
        abort(404)
    return found[0]


@bp.route("/orga/<slug>/review/categories/<int:category_id>", methods=["GET", "POST"])
def edit_category(slug: str, category_id: int) -> RENDERED:
    """Change a score category's name, scale, labels, weight or tracks."""
    event = event_or_404(slug)
    require_organizer(event)
    category = _category_or_404(event, category_id)
    form = _category_form(event, category if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        values = _category_input(event, form)
        if values is not None:
            try:
                services.save_category(event=event, category_id=category_id, **values)
            except services.NotVisible:
                abort(404)
            except services.ReviewError as error:
                _fail(form, error)
            else:
                flash(_("Score category saved."), "success")
                return redirect(url_for("review.orga_review", slug=event.slug) + "#categories")
        status = 400
    return (
        render_template("review/category.html", event=event, category=category, form=form),
        status,
    )


@bp.post("/orga/<slug>/review/categories/<int:category_id>/delete")
def delete_category(slug: str, category_id: int) -> RENDERED:
    """Delete a score category and the values given in it."""
    event = event_or_404(slug)
    require_organizer(event)
    if not CsrfForm().validate():
        abort(400, _("the form expired; reload the page"))
    try:
        services.delete_category(event=event, category_id=category_id)
    except services.NotVisible:
        abort(404)
    except services.ReviewError as error:
        flash(str(error), "error")
        return _render_orga_review(event, status=400)
    flash(_("Score category deleted."), "success")
    return redirect(url_for("review.orga_review", slug=event.slug) + "#categories")


@bp.post("/orga/<slug>/review/phases")
def add_phase(slug: str) -> RENDERED:
    """Add a review phase."""
    event = event_or_404(slug)
    require_organizer(event)
    form = PhaseForm()
    if form.validate():
        instants = {}
        for name in ("starts_at", "ends_at"):
            try:
                instants[name] = local_to_utc(form[name].data, event.time_zone)
            except ValueError as error:
                form[name].errors = [str(error)]
        if len(instants) == 2:
            try:
                services.add_phase(
                    event=event,
                    name=form.name.data or "",
                    can_review=form.can_review.data,
                    can_see_other_reviews=form.can_see_other_reviews.data,
                    can_see_speaker_names=form.can_see_speaker_names.data,
                    speakers_can_edit=form.speakers_can_edit.data,
                    **instants,
                )
            except services.ReviewError as error:
                _fail(form, error)
            else:
                flash(_("Review phase added."), "success")
                return redirect(url_for("review.orga_review", slug=event.slug) + "#phases")
    return _render_orga_review(event, phase_form=form, status=400)


@bp.post("/orga/<slug>/review/phases/<int:phase_id>/pin")
def pin_phase(slug: str, phase_id: int) -> RENDERED:
    """Switch to this phase by hand, whatever the dates say."""
    return _pin(
        slug, phase_id, _("Switched to the phase by hand; dates are ignored until unpinned.")
    )


@bp.post("/orga/<slug>/review/phases/unpin")
def unpin_phase(slug: str) -> RENDERED:
    """Let the phases' dates decide again."""
    return _pin(slug, None, _("The phases' dates decide the current phase again."))


def _pin(slug: str, phase_id: int | None, message: str) -> RENDERED:
    event = event_or_404(slug)
    require_organizer(event)
    if not CsrfForm().validate():
        abort(400, _("the form expired; reload the page"))
    try:
        services.pin_phase(event=event, phase_id=phase_id)
    except services.NotVisible:
        abort(404)
    flash(message, "success")
    return redirect(url_for("review.orga_review", slug=event.slug) + "#phases")


@bp.post("/orga/<slug>/review/phases/<int:phase_id>/delete")
def delete_phase(slug: str, phase_id: int) -> RENDERED:
    """Delete a review phase."""
    event = event_or_404(slug)
    require_organizer(event)
    if not CsrfForm().validate():
        abort(400, _("the form expired; reload the page"))
    try:
        services.delete_phase(event=event, phase_id=phase_id)
    except services.NotVisible:
        abort(404)
    flash(_("Review phase deleted."), "success")
    return redirect(url_for("review.orga_review", slug=event.slug) + "#phases")


@bp.post("/orga/<slug>/review/assignments")
def create_assignment(slug: str) -> RENDERED:
    """Assign a reviewer to all submissions, a track or one submission."""
    event = event_or_404(slug)
    require_organizer(event)
    form = _assignment_form(event)
    if form.validate():
        try:
            services.add_assignment(
                event=event,
                reviewer_id=form.reviewer_id.data,
                scope=form.scope.data,
                track_id=form.track_id.data or None,
                submission_id=form.submission_id.data or None,
                actor_id=current_user.id,
                form_token=request.form.get("form_token"),
            )
        except services.ReviewError as error:
            _fail(form, error)
        else:
            flash(_("Assignment added."), "success")
            return redirect(url_for("review.orga_review", slug=event.slug))
    return _render_orga_review(event, assignment_form=form, status=400)


@bp.post("/orga/<slug>/review/assignments/<int:assignment_id>/delete")
def delete_assignment(slug: str, assignment_id: int) -> RENDERED:
    """Remove one assignment."""
    event = event_or_404(slug)
    require_organizer(event)
    if not CsrfForm().validate():
        abort(400, _("the form expired; reload the page"))
    try:
        services.remove_assignment(event=event, assignment_id=assignment_id)
    except services.NotVisible:
        abort(404)
    flash(_("Assignment removed."), "success")
    return redirect(url_for("review.orga_review", slug=event.slug))


# --- organizers: ranking -----------------------------------------------------------------------


@bp.get("/orga/<slug>/ranking")
def ranking(slug: str) -> RENDERED:
    """Every submission's mean, median, count, spread and missing reviewers; sortable."""
    event = event_or_404(slug)
    require_organizer(event)
    filters = queries.RankingFilters.from_args(request.args)
    rows = queries.ranking(event, filters)
    detail = request.args.get("detail") == "1"
    return render_template(
        "review/ranking.html",
        event=event,
        rows=rows,
        filters=filters,
        states=sorted(REVIEWABLE_STATES),
        sort_keys=queries.SORT_KEYS,
        categories=_ranked_categories(event),
        detail=detail,
        reviewers=queries.ranking_reviewers(rows) if detail else [],
    )


@bp.get("/orga/<slug>/ranking.csv")
def ranking_csv(slug: str) -> RENDERED:
    """The ranking as CSV, with the same filters and order as the page.

    After the figures come one ``score: <reviewer>`` column per reviewer who reviewed any of
    the rows (empty where they did not) and a ``comments`` column with one
    ``<reviewer> (<score>): <comment>`` line per non-empty comment.
    """
    event = event_or_404(slug)
    require_organizer(event)
    rows = queries.ranking(event, queries.RankingFilters.from_args(request.args))
    reviewers = queries.ranking_reviewers(rows)
    categories = _ranked_categories(event)
    header = ["id", "title", "speakers", "track", "state", "pending_decision", "reviews"]
    header += ["mean", "median", "spread", "stddev", "missing_reviewers"]
    header += [_csv_cell(f"mean: {c.name}") for c in categories]
    header += [_csv_cell(f"score: {name}") for _, name in reviewers]
    header += ["comments"]
    return _csv_response(
        header,
        (
            [
                r.id,
                r.title,
                "; ".join(r.speakers),
                r.track,
                r.state,
                r.pending_state or "",
                r.count,
                r.mean,
                r.median,
                r.spread,
                r.stddev,
                "; ".join(r.missing),
                *[r.category_means.get(c.id or 0) for c in categories],
                *_scores_by_reviewer(r, reviewers),
                _comments_cell(r),
            ]
            for r in rows
        ),
        f"{event.slug}-ranking.csv",
    )


def _ranked_categories(event: Event) -> list[CategoryView]:
    """Categories that get their own ranking column: all of them when there are several (a
    single category's mean is the total's)."""
    categories = queries.categories_of(event)
    return categories if len(categories) > 1 else []


def _scores_by_reviewer(row: queries.RankingRow, reviewers: Sequence[tuple[int, str]]) -> list[Any]:
    scores = {e.reviewer_id: e.score for e in row.reviews}
    return [scores.get(reviewer_id) for reviewer_id, _ in reviewers]


def _comments_cell(row: queries.RankingRow) -> str:
    return "\n".join(f"{e.reviewer} ({e.score}): {e.comment}" for e in row.reviews if e.comment)


# --- organizers: decisions ---------------------------------------------------------------------


def _template_forms(event: Event) -> dict[str, TemplateForm]:
    stored = queries.decision_templates(event.id)
    forms = {}
    for kind, (subject, body) in DEFAULT_TEMPLATES.items():
        if kind in stored:
            subject, body = stored[kind].subject, stored[kind].body
        forms[kind] = TemplateForm(
            prefix=kind, data={"subject": subject, "body": body}, formdata=None
        )
    return forms


def _render_decisions(
    event: Event, *, template_forms: dict[str, TemplateForm] | None = None, status: int = 200
) -> RENDERED:
    filters = queries.RankingFilters.from_args(request.args)
    rows = queries.ranking(event, filters)
    everything = rows if filters == queries.RankingFilters() else queries.ranking(event)
    return (
        render_template(
            "review/decisions.html",
            event=event,
            rows=rows,
            filters=filters,
            sort_keys=queries.SORT_KEYS,
            states=sorted(REVIEWABLE_STATES),
            pending=sum(1 for r in everything if r.pending_state),
            unanswered=[r for r in everything if r.state == "accepted" and not r.pending_state],
            held=len(queries.held_decision_mails(event.id)),
            unannounced=queries.unannounced_count(event.id),
            decision_form=DecisionForm(formdata=None),
            template_forms=template_forms or _template_forms(event),
            placeholders=PLACEHOLDERS,
            csrf_form=CsrfForm(),
        ),
        status,
    )


@bp.get("/orga/<slug>/decisions")
def decisions(slug: str) -> RENDERED:
    """Pending decisions, bulk decide form, mail templates and unanswered acceptances."""
    event = event_or_404(slug)
    require_organizer(event)
    return _render_decisions(event)


@bp.post("/orga/<slug>/decisions")
def set_decisions(slug: str) -> RENDERED:
    """Accept, reject or clear the ticked submissions (pending until released)."""
    event = event_or_404(slug)
    require_organizer(event)
    form = DecisionForm()
    if not form.validate():
        abort(400, _("choose a decision and at least one submission"))
    decision = DecisionKind(form.decision.data) if form.decision.data else None
    try:
        changed = services.set_decisions(
            event=event,
            actor=current_user,
            submission_ids=form.submission_ids.data or [],
            decision=decision,
        )
    except services.ReviewError as error:
        flash(str(error), "error")
        return _render_decisions(event, status=400)
    flash(
        ngettext(
            "%(num)d pending decision(s) updated; release them to notify speakers.",
            "%(num)d pending decision(s) updated; release them to notify speakers.",
            changed,
        ),
        "success",
    )
    return redirect(url_for("review.decisions", slug=event.slug))


@bp.post("/orga/<slug>/decisions/templates")
def save_template(slug: str) -> RENDERED:
    """Save the accept or reject mail text."""
    event = event_or_404(slug)
    require_organizer(event)
    kind = request.form.get("kind", "")
    if kind not in DEFAULT_TEMPLATES:
        abort(400, _("unknown template kind"))
    form = TemplateForm(prefix=kind)
    if form.validate():
        try:
            services.save_decision_template(
                event=event, kind=kind, subject=form.subject.data, body=form.body.data
            )
        except services.ReviewError as error:
            _fail(form, error)
        else:
            flash(
                _("The accept mail was saved.")
                if kind == "accept"
                else _("The reject mail was saved."),
                "success",
            )
            return redirect(url_for("review.decisions", slug=event.slug))
    forms = _template_forms(event)
    forms[kind] = form
    return _render_decisions(event, template_forms=forms, status=400)


@bp.post("/orga/<slug>/decisions/release")
def release(slug: str) -> RENDERED:
    """Apply every pending decision and hold one mail per speaker for review."""
    event = event_or_404(slug)
    require_organizer(event)
    if not CsrfForm().validate():
        abort(400, _("the form expired; reload the page"))
    with_mail = request.form.get("without_mail") != "1"
    result = services.release_decisions(event=event, actor=current_user, with_mail=with_mail)
    if not with_mail:
        flash(
            ngettext(
                "%(num)d decision(s) released without mail; speakers see them now.",
                "%(num)d decision(s) released without mail; speakers see them now.",
                result.released,
            ),
            "success",
        )
        return redirect(url_for("review.decisions", slug=event.slug))
    message = ngettext(
        "%(num)d decision(s) released, %(mails)s mail(s) held for checking.",
        "%(num)d decision(s) released, %(mails)s mail(s) held for checking.",
        result.released,
        mails=result.mails,
    )
    if result.skipped:
        message += " " + ngettext(
            "%(num)d skipped (state no longer allows it or unchanged).",
            "%(num)d skipped (state no longer allows it or unchanged).",
            result.skipped,
        )
    if result.no_address:
        message += " " + ngettext(
            "%(num)d speaker(s) have no e-mail address.",
            "%(num)d speaker(s) have no e-mail address.",
            result.no_address,
        )
    flash(message, "success")
    return redirect(url_for("mail.event_outbox", slug=event.slug, state="held"))


@bp.get("/orga/<slug>/decisions/mails")
def decision_mails(slug: str) -> RENDERED:
    """Held decision mails now live in the event's outbox, filtered to held mail."""
    event = event_or_404(slug)
    require_organizer(event)
    return redirect(url_for("mail.event_outbox", slug=event.slug, state="held"))


@bp.post("/orga/<slug>/decisions/announce")
def announce(slug: str) -> RENDERED:
    """Show every released decision to its speakers without sending (more) mail."""
    event = event_or_404(slug)
    require_organizer(event)
    if not CsrfForm().validate():
        abort(400, _("the form expired; reload the page"))
    count = services.announce_decisions(event=event)
    flash(
        ngettext(
            "%(num)d decision(s) are now visible to their speakers, without mail.",
            "%(num)d decision(s) are now visible to their speakers, without mail.",
            count,
        ),
        "success",
    )
    return redirect(url_for("review.decisions", slug=event.slug))


@bp.post("/orga/<slug>/decisions/mails/<int:mail_id>")
def edit_mail(slug: str, mail_id: int) -> RENDERED:
    """Change a held mail's subject and text."""
    event = event_or_404(slug)
    require_organizer(event)
    form = MailEditForm(prefix=f"m{mail_id}")
    if not form.validate():
        abort(400, _("the subject and the text are required"))
    try:
        services.edit_held_mail(
            event=event, mail_id=mail_id, subject=form.subject.data, body=form.body.data
        )
    except services.NotVisible:
        abort(404)
    except services.ReviewError as error:
        abort(400, str(error))
    flash(_("Mail updated."), "success")
    return redirect(url_for("mail.event_outbox", slug=event.slug, state="held"))


@bp.post("/orga/<slug>/decisions/mails/<int:mail_id>/discard")
def discard_mail(slug: str, mail_id: int) -> RENDERED:
    """Delete a held mail so it is never sent."""
    event = event_or_404(slug)
    require_organizer(event)
    if not CsrfForm().validate():
        abort(400, _("the form expired; reload the page"))
    try:
        services.discard_held_mail(event=event, mail_id=mail_id)
    except services.NotVisible:
        abort(404)
    flash(_("Mail discarded."), "success")
    return redirect(url_for("mail.event_outbox", slug=event.slug, state="held"))


@bp.post("/orga/<slug>/decisions/mails/send")
def send_mails(slug: str) -> RENDERED:
    """Queue every held decision mail for sending."""
    event = event_or_404(slug)
    require_organizer(event)
    if not CsrfForm().validate():
        abort(400, _("the form expired; reload the page"))
    count = services.send_held_mails(event=event)
    flash(queued_message(count), "success" if sender_configured() else "warning")
    return redirect(url_for("review.decisions", slug=event.slug))


# --- speakers: confirmation ----------------------------------------------------------------------


def _confirm_target(event: Event, token: str) -> int:
    try:
        return services.read_confirmation_token(token, event.id)
    except services.NotVisible:
        abort(404)


def _answer(event: Event, submission_id: int, form: AnswerForm, back: str) -> BaseResponse:
    if not form.validate():
        abort(400, _("choose whether you confirm or decline"))
    try:
        services.answer_confirmation(
            event=event,
            user=current_user,
            submission_id=submission_id,
            answer=ConfirmationAnswer(form.answer.data),
        )
    except services.NotVisible:
        abort(404)
    except services.NotASpeaker:
        abort(403)
    except services.ReviewError as error:
        abort(409, str(error))
    flash(_("Thank you, your answer was recorded."), "success")
    return redirect(back)


@bp.get("/review/<slug>/confirm/<token>")
def confirm_page(slug: str, token: str) -> RENDERED:
    """Ask an accepted speaker to confirm or decline (login required, speakers only)."""
    event = event_or_404(slug)
    submission_id = _confirm_target(event, token)
    require_login()
    submission = queries.event_submission(event.id, submission_id)
    if submission is None or queries.unannounced_decisions([submission.id]):
        abort(404)  # an unannounced decision does not exist for speakers yet
    if not queries.is_speaker_of(current_user.id, submission.id):
        abort(403)
    return render_template(
        "review/confirm.html", event=event, submission=submission, form=AnswerForm()
    )


@bp.post("/review/<slug>/confirm/<token>")
def confirm_answer(slug: str, token: str) -> RENDERED:
    """Record the answer given on the confirmation page."""
    event = event_or_404(slug)
    submission_id = _confirm_target(event, token)
    require_login()
    back = url_for("review.confirm_page", slug=event.slug, token=token)
    return _answer(event, submission_id, AnswerForm(), back)


@bp.post("/review/<slug>/submissions/<int:submission_id>/answer")
def answer_from_dashboard(slug: str, submission_id: int) -> RENDERED:
    """The same answer from the speaker's dashboard (form field ``answer``)."""
    event = event_or_404(slug)
    require_login()
    # The speaker dashboard (/<slug>/me/) belongs to the CfP feature; its URL is reserved.
    return _answer(event, submission_id, AnswerForm(), f"/{event.slug}/me/")


# --- reviewers: bidding ----------------------------------------------------------------------


def _render_bids(event: Event, errors: dict[int, str] | None = None, status: int = 200) -> RENDERED:
    filters = queries.BidFilters.from_args(request.args)
    return (
        render_template(
            "review/bids.html",
            event=event,
            items=queries.bidding_items(event, current_user.id, filters),
            filters=filters,
            preferences=list(BidPreference),
            shows_speakers=queries.bidding_shows_speakers(event),
            form=CsrfForm(),
            errors=errors or {},
        ),
        status,
    )


def _parse_bids(form: Mapping[str, str]) -> dict[int, BidPreference | None]:
    """``bid-<id>`` radio values as submission id -> preference (``""`` withdraws a bid).

    Raises:
        services.ReviewError: a malformed id or an unknown preference (naming the field).
    """
    bids: dict[int, BidPreference | None] = {}
    for name, value in form.items():
        if not name.startswith("bid-"):
            continue
        submission_id = parse_id(name.removeprefix("bid-"))
        if submission_id is None:
            raise services.ReviewError(_("unknown proposal"), name)
        if value and value not in BidPreference.__members__.values():
            raise services.ReviewError(_("choose one of the offered answers"), name)
        bids[submission_id] = BidPreference(value) if value else None
    return bids


@bp.get("/review/<slug>/bids")
def list_bids(slug: str) -> RENDERED:
    """The proposals a reviewer may bid on, filterable, with one radio group each."""
    event = event_or_404(slug)
    require_reviewer(event)
    return _render_bids(event)


@bp.post("/review/<slug>/bids")
def save_bids(slug: str) -> RENDERED:
    """Save every bid of the page in one POST; come back to the same filters."""
    event = event_or_404(slug)
    require_reviewer(event)
    if not CsrfForm().validate():
        abort(400, _("the form expired; reload the page"))
    try:
        changed = services.save_bids(
            event=event, reviewer=current_user, bids=_parse_bids(request.form)
        )
    except services.ReviewError as error:
        submission_id = parse_id(error.field.removeprefix("bid-")) or 0
        flash(_("Nothing was saved: %(error)s.", error=error), "error")
        return _render_bids(event, errors={submission_id: str(error)}, status=400)
    flash(
        ngettext("Bids saved (%(num)d changed).", "Bids saved (%(num)d changed).", changed),
        "success",
    )
    return redirect(url_for("review.list_bids", slug=event.slug, **request.args))


# --- organizers: automatic assignment ---------------------------------------------------------


def _render_auto_assignment(
    event: Event,
    form: AutoAssignForm,
    result: Any = None,
    status: int = 200,
) -> RENDERED:
    return (
        render_template(
            "review/auto_assignment.html",
            event=event,
            form=form,
            apply_form=AutoAssignForm(formdata=None, data=form.data),
            result=result,
            names=queries.reviewer_names(event.id) if result else {},
            titles=queries.proposal_titles(event.id) if result else {},
            bid_counts=queries.bid_counts(event.id),
            preferences=list(BidPreference),
        ),
        status,
    )


@bp.get("/orga/<slug>/review/assignment")
def auto_assignment(slug: str) -> RENDERED:
    """The automatic assignment form; with ``per_proposal`` given, its preview and figures."""
    event = event_or_404(slug)
    require_organizer(event)
    if "per_proposal" not in request.args:
        form = AutoAssignForm(
            formdata=None, data={"per_proposal": event.reviews_per_submission}, meta={"csrf": False}
        )
        return _render_auto_assignment(event, form)
    form = AutoAssignForm(formdata=request.args, meta={"csrf": False})
    if not form.validate():
        return _render_auto_assignment(event, form, status=400)
    try:
        result = services.preview_assignment(
            event=event, per_proposal=form.per_proposal.data, cap=form.cap.data
        )
    except services.ReviewError as error:
        _fail(form, error)
        return _render_auto_assignment(event, form, status=400)
    return _render_auto_assignment(event, form, result)


@bp.post("/orga/<slug>/review/assignment")
def apply_auto_assignment(slug: str) -> RENDERED:
    """Add the previewed assignment (recomputed now); existing assignments stay."""
    event = event_or_404(slug)
    require_organizer(event)
    form = AutoAssignForm()
    if form.validate():
        try:
            applied = services.apply_assignment(
                event=event,
                per_proposal=form.per_proposal.data,
                cap=form.cap.data,
                actor_id=current_user.id,
                form_token=request.form.get("form_token"),
            )
        except services.ReviewError as error:
            _fail(form, error)
        else:
            if applied.repeated:
                flash(_("This assignment was already applied."), "success")
            else:
                flash(
                    _("Automatic assignment applied: %(added)s added.", added=applied.added),
                    "success",
                )
            return redirect(url_for("review.orga_review", slug=event.slug))
    return _render_auto_assignment(event, form, status=400)
