"""Fixed vocabularies of the review feature."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from podium.cfp.enums import (
    STATE_LABELS,  # noqa: F401  review pages read it from here
    SubmissionState,
)


class DecisionKind(StrEnum):
    """An organizer's decision; its value is the submission state it leads to."""

    ACCEPT = "accepted"
    REJECT = "rejected"

    @property
    def template_kind(self) -> str:
        """The :class:`DecisionMailTemplate` kind (``accept``/``reject``) for this decision."""
        return "accept" if self is DecisionKind.ACCEPT else "reject"


class AssignmentScope(StrEnum):
    """What a reviewer assignment covers."""

    ALL = "all"
    TRACK = "track"
    SUBMISSION = "submission"


class ConfirmationAnswer(StrEnum):
    """An accepted speaker's answer; its value is the submission state it leads to."""

    CONFIRM = "confirmed"
    DECLINE = "declined"


# Drafts are unfinished and withdrawn/canceled ones were taken back: nobody reviews those.
REVIEWABLE_STATES: frozenset[str] = frozenset(
    {
        SubmissionState.SUBMITTED,
        SubmissionState.ACCEPTED,
        SubmissionState.REJECTED,
        SubmissionState.CONFIRMED,
        SubmissionState.DECLINED,
    }
)

# A decision may be (re)taken while the speakers have not answered yet.
DECIDABLE_STATES: frozenset[str] = frozenset(
    {SubmissionState.SUBMITTED, SubmissionState.ACCEPTED, SubmissionState.REJECTED}
)

DECISION_MAIL_KIND = "review_decision"


class BidPreference(StrEnum):
    """A reviewer's bid on a proposal before assignment (HotCRP's preferences, in words)."""

    WANT = "want"
    CAN = "can"
    RATHER_NOT = "rather_not"
    CONFLICT = "conflict"

    @property
    def label(self) -> str:
        """The words the bidding page shows, in the language of the request."""
        return str(_BID_LABELS[self])


_BID_LABELS = {
    BidPreference.WANT: _l("Want"),
    BidPreference.CAN: _l("Can"),
    BidPreference.RATHER_NOT: _l("Would rather not"),
    BidPreference.CONFLICT: _l("Conflict"),
}

# Submission states as review pages show them (the stored value stays English and machine
# output such as CSV and JSON keeps it); lazy, so each page reads them in its language.
