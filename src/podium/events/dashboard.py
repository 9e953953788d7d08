"""What the organizer dashboard shows: what the team should do next in one event.

Everything here is read-only and runs a fixed number of queries whatever the size of the
event (the dashboard test measures it at two sizes). The figures come from the features
that own them (review, schedule); this module only gathers them for one page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, func, select

from podium.cfp.enums import SubmissionState
from podium.cfp.models import Submission
from podium.events.models import Event, Room, SessionType, Track
from podium.extensions import db
from podium.mail.models import OutboxMail
from podium.review.enums import DECISION_MAIL_KIND
from podium.review.models import Review
from podium.review.permissions import PhaseRules, phase_rules
from podium.review.queries import reviewer_names, unannounced_count, visible_pairs
from podium.schedule.models import ScheduleRelease, Slot
from podium.schedule.queries import event_conflicts, unscheduled_submissions
from podium.schedule.services import unchanged_release


@dataclass(frozen=True)
class ReviewerProgress:
    """One reviewer's progress: reviews ``done`` out of the submissions ``assigned`` to them."""

    reviewer_id: int
    name: str
    done: int
    assigned: int


@dataclass(frozen=True)
class ChecklistItem:
    """One step of the getting-started checklist; ``endpoint`` is where it is done."""

    label: str
    done: bool
    detail: str
    endpoint: str


@dataclass
class Dashboard:
    """Everything the dashboard lists for one event.

    ``under_review`` counts submissions in state ``submitted``; ``short_of_reviews`` those of
    them with fewer than ``reviews_wanted`` reviews. ``pending_accept``/``pending_reject`` are
    decisions taken but not released; ``held_decision_mails`` released decisions' mails not
    sent yet; ``unannounced`` released decisions the speakers cannot see yet (mail held).
    ``unconfirmed`` are accepted submissions whose speakers have not answered (id, title).
    ``schedule_state`` is ``"none"`` (no slot, never published),
    ``"unpublished"`` (slots but no release), ``"changed"`` (differs from release
    ``release_version``) or ``"published"`` (same as it).
    """

    counts: dict[str, int]
    reviews_wanted: int
    under_review: int = 0
    short_of_reviews: int = 0
    reviews_done: int = 0
    reviews_assigned: int = 0
    reviewers: list[ReviewerProgress] = field(default_factory=list)
    pending_accept: int = 0
    pending_reject: int = 0
    held_decision_mails: int = 0
    unannounced: int = 0
    unconfirmed: list[tuple[int, str]] = field(default_factory=list)
    unscheduled: list[tuple[int, str]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    schedule_state: str = "none"
    release_version: int | None = None
    checklist: list[ChecklistItem] = field(default_factory=list)
    # What the review phase in force allows (see podium.review.permissions.phase_rules).
    review_rules: PhaseRules | None = None

    @property
    def total(self) -> int:
        """Number of submissions in any state."""
        return sum(self.counts.values())

    @property
    def getting_started(self) -> bool:
        """True while a step of the getting-started checklist is still open."""
        return any(not item.done for item in self.checklist)


def build_dashboard(event: Event) -> Dashboard:
    """Gather the dashboard of ``event`` (about fifteen queries, whatever its size).

    The unpublished-changes check renders the working schedule as a release snapshot and
    compares it with the latest release (see ``bench/bench_dashboard.py`` for its cost).
    """
    board = Dashboard(
        counts=_counts_by_state(event), reviews_wanted=event.reviews_per_submission or 1
    )
    board.under_review = board.counts.get(SubmissionState.SUBMITTED.value, 0)
    board.short_of_reviews = _short_of_reviews(event, board.reviews_wanted)
    board.reviewers = _reviewer_progress(event)
    board.reviews_done = sum(r.done for r in board.reviewers)
    board.reviews_assigned = sum(r.assigned for r in board.reviewers)
    pending = _pending_decisions(event)
    board.pending_accept = pending.get(SubmissionState.ACCEPTED.value, 0)
    board.pending_reject = pending.get(SubmissionState.REJECTED.value, 0)
    board.held_decision_mails = _held_decision_mails(event)
    board.unannounced = unannounced_count(event.id)
    board.unconfirmed = _titles_in_state(event, SubmissionState.ACCEPTED)
    board.unscheduled = [(s.id, s.title) for s in unscheduled_submissions(event)]
    board.conflicts = [c.message for c in event_conflicts(event)]
    board.schedule_state, board.release_version = _schedule_state(event)
    board.checklist = getting_started(event)
    board.review_rules = phase_rules(event)
    return board


def _counts_by_state(event: Event) -> dict[str, int]:
    rows = db.session.execute(
        select(Submission.state, func.count(Submission.id))
        .where(Submission.event_id == event.id)
        .group_by(Submission.state)
    )
    return {state: count for state, count in rows}


def _short_of_reviews(event: Event, wanted: int) -> int:
    """Submissions under review (state ``submitted``) with fewer than ``wanted`` reviews."""
    counted = (
        select(Submission.id, func.count(Review.id).label("reviews"))
        .outerjoin(Review, Review.submission_id == Submission.id)
        .where(Submission.event_id == event.id)
        .where(Submission.state == SubmissionState.SUBMITTED.value)
        .group_by(Submission.id)
        .subquery()
    )
    stmt = select(func.count()).select_from(counted).where(counted.c.reviews < wanted)
    return int(db.session.scalar(stmt) or 0)


def _reviewer_progress(event: Event) -> list[ReviewerProgress]:
    """Per reviewer with something to review: reviews done among their assigned submissions.

    "Assigned" follows the review visibility rule (assignments minus own submissions and
    declared conflicts), so it is what the reviewer's own list shows. Two queries.
    """
    pairs = visible_pairs(event.id).subquery()
    stmt = (
        select(pairs.c.reviewer_id, func.count(), func.count(Review.id))
        .select_from(pairs)
        .outerjoin(
            Review,
            and_(
                Review.reviewer_id == pairs.c.reviewer_id,
                Review.submission_id == pairs.c.submission_id,
            ),
        )
        .group_by(pairs.c.reviewer_id)
    )
    names = reviewer_names(event.id)
    progress = [
        ReviewerProgress(
            reviewer_id=reviewer_id,
            name=names.get(reviewer_id, f"#{reviewer_id}"),
            done=int(done),
            assigned=int(assigned),
        )
        for reviewer_id, assigned, done in db.session.execute(stmt)
    ]
    return sorted(progress, key=lambda p: (p.name.casefold(), p.reviewer_id))


def _pending_decisions(event: Event) -> dict[str, int]:
    rows = db.session.execute(
        select(Submission.pending_state, func.count(Submission.id))
        .where(Submission.event_id == event.id, Submission.pending_state.is_not(None))
        .group_by(Submission.pending_state)
    )
    return {state: count for state, count in rows}


def _held_decision_mails(event: Event) -> int:
    stmt = select(func.count(OutboxMail.id)).where(
        OutboxMail.event_id == event.id,
        OutboxMail.kind == DECISION_MAIL_KIND,
        OutboxMail.state == "held",
    )
    return int(db.session.scalar(stmt) or 0)


def _titles_in_state(event: Event, state: SubmissionState) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Submission.id, Submission.title)
        .where(Submission.event_id == event.id, Submission.state == state.value)
        .order_by(Submission.title, Submission.id)
    )
    return [(i, t) for i, t in rows]


def _schedule_state(event: Event) -> tuple[str, int | None]:
    latest = db.session.scalar(
        select(func.max(ScheduleRelease.version)).where(ScheduleRelease.event_id == event.id)
    )
    if latest is None:
        has_slots = db.session.scalar(select(Slot.id).where(Slot.event_id == event.id).limit(1))
        return ("none" if has_slots is None else "unpublished"), None
    return ("published" if unchanged_release(event) is not None else "changed"), latest


def getting_started(event: Event) -> list[ChecklistItem]:
    """The steps a new event needs before its CfP can run, each ticked when done (1 query)."""
    tracks, rooms, types = db.session.execute(
        select(
            select(func.count(Track.id)).where(Track.event_id == event.id).scalar_subquery(),
            select(func.count(Room.id)).where(Room.event_id == event.id).scalar_subquery(),
            select(func.count(SessionType.id))
            .where(SessionType.event_id == event.id)
            .scalar_subquery(),
        )
    ).one()
    cfp_set = event.cfp_opens_at is not None and event.cfp_closes_at is not None
    return [
        ChecklistItem(
            _("Dates and time zone"),
            bool(event.start_date and event.end_date and event.time_zone),
            f"{event.start_date.isoformat()} – {event.end_date.isoformat()}, {event.time_zone}",  # noqa: RUF001  the en dash of date ranges
            "events.settings",
        ),
        ChecklistItem(
            _("Tracks"),
            tracks > 0,
            ngettext("%(num)d track(s)", "%(num)d track(s)", tracks),
            "events.tracks",
        ),
        ChecklistItem(
            _("Rooms"),
            rooms > 0,
            ngettext("%(num)d room(s)", "%(num)d room(s)", rooms),
            "events.rooms",
        ),
        ChecklistItem(
            _("Session types"),
            types > 0,
            ngettext("%(num)d session type(s)", "%(num)d session type(s)", types),
            "events.session_types",
        ),
        ChecklistItem(
            _("CfP window"),
            cfp_set,
            _("set") if cfp_set else _("not scheduled"),
            "events.settings",
        ),
        ChecklistItem(
            _("Make public"),
            bool(event.is_public),
            _("public") if event.is_public else _("not public"),
            "events.settings",
        ),
    ]
