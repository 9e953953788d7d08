"""All changes to submissions: creation, edits, speakers and the one state-change entry point."""

from __future__ import annotations

from podium.accounts.models import User
from podium.cfp.enums import SubmissionState as S
from podium.cfp.models import Submission, SubmissionStateChange
from podium.db import utcnow
from podium.extensions import db

# Which states a submission may move to from each state. Organizers can revert a rejection
# (a mistake) and cancel confirmed sessions; nothing leaves withdrawn or canceled.
ALLOWED_TRANSITIONS: dict[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REJECTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.CONFIRMED, S.DECLINED, S.REJECTED, S.WITHDRAWN, S.CANCELED}),
    S.REJECTED: frozenset({S.ACCEPTED, S.SUBMITTED}),
    S.CONFIRMED: frozenset({S.DECLINED, S.WITHDRAWN, S.CANCELED}),
    S.DECLINED: frozenset({S.CONFIRMED}),
    S.WITHDRAWN: frozenset(),
    S.CANCELED: frozenset(),
}


class TransitionError(ValueError):
    """A state change that the submission's life cycle does not allow."""


def change_state(
    *,
    submission: Submission,
    to_state: S | str,
    actor: User | None,
    note: str = "",
    commit: bool = True,
) -> SubmissionStateChange:
    """Move ``submission`` to ``to_state`` and record who did it and when (UTC).

    Args:
        actor: the user making the change; ``None`` for the system (imports).
        commit: commit the session; pass False to batch many changes in one transaction.

    Raises:
        TransitionError: the transition is not in :data:`ALLOWED_TRANSITIONS`.
    """
    target = S(to_state)
    current = S(submission.state)
    if target not in ALLOWED_TRANSITIONS[current]:
        raise TransitionError(f"a {current} submission cannot become {target}")
    record = SubmissionStateChange(
        submission_id=submission.id,
        from_state=current.value,
        to_state=target.value,
        actor_id=actor.id if actor is not None else None,
        note=note,
    )
    submission.state = target.value
    if target is S.SUBMITTED and submission.submitted_at is None:
        submission.submitted_at = utcnow()
    db.session.add(record)
    if commit:
        db.session.commit()
    return record
