"""Fixed vocabularies of the CfP feature."""

from enum import StrEnum


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
