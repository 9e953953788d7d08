"""Fixed vocabularies of the API: what an API token may do."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class TokenScope(StrEnum):
    """One permission of an API token, always limited to the token's own event.

    ``read:private`` serves what organizers see (submissions in every state, review score
    aggregates, speakers' e-mail addresses); ``write:schedule`` places, moves and unschedules
    sessions and publishes releases.
    """

    READ_PRIVATE = "read:private"
    WRITE_SCHEDULE = "write:schedule"


# Shown on the token page in the reader's language (lazy strings).
SCOPE_LABELS: dict[TokenScope, object] = {
    TokenScope.READ_PRIVATE: _l("Read private data (submissions, scores, speakers' e-mail)"),
    TokenScope.WRITE_SCHEDULE: _l("Write the schedule (place, move, unschedule, publish)"),
}
