"""Fixed vocabularies of the events feature."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class TeamRole(StrEnum):
    """A user's role in one event's team."""

    ORGANIZER = "organizer"
    REVIEWER = "reviewer"


# Team roles as stored, named for the reader (display only; lazy, so each page reads them in
# its language). "administrator" is shown for site administrators on team lists.
ROLE_LABELS = {
    TeamRole.ORGANIZER.value: _l("organizer"),
    TeamRole.REVIEWER.value: _l("reviewer"),
    "administrator": _l("administrator"),
}


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
