"""Fixed vocabularies of the events feature."""

from enum import StrEnum


class TeamRole(StrEnum):
    """A user's role in one event's team."""

    ORGANIZER = "organizer"
    REVIEWER = "reviewer"
