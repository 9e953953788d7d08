"""Fixed vocabularies of the events feature."""

from enum import StrEnum


class TeamRole(StrEnum):
    """A user's role in one event's team."""

    ORGANIZER = "organizer"
    REVIEWER = "reviewer"


# First path segments taken by other pages; public event pages live at /<slug>/ so an event
# with one of these slugs would shadow them (or be shadowed).
RESERVED_SLUGS: frozenset[str] = frozenset(
    {
        "account",
        "orga",
        "mail",
        "review",
        "api",
        "static",
        "invite",
        "speaker",
        "healthz",
        "readyz",
        "login",  # nav: /login and /signup are aliases of the account pages
        "signup",
    }
)
