"""Fixed vocabularies of the CfP feature."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class SubmissionState(StrEnum):
    """Where a submission is in its life; transitions are checked in cfp.services."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CANCELED = "canceled"


# State names as people read them (the stored values stay English words); see state_label.
STATE_LABELS = {
    SubmissionState.DRAFT: _l("draft"),
    SubmissionState.SUBMITTED: _l("submitted"),
    SubmissionState.ACCEPTED: _l("accepted"),
    SubmissionState.REJECTED: _l("rejected"),
    SubmissionState.CONFIRMED: _l("confirmed"),
    SubmissionState.DECLINED: _l("declined"),
    SubmissionState.WITHDRAWN: _l("withdrawn"),
    SubmissionState.CANCELED: _l("canceled"),
}


def state_label(state: str | None) -> str:
    """A submission state in the request's language ("eingereicht"); unknown values as they
    are. Also the template filter ``state_label``."""
    label = STATE_LABELS.get(state) if state else None  # type: ignore[call-overload]
    return str(label) if label is not None else (state or "")
