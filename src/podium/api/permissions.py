"""Who may use the token API and manage API tokens (the one place for both).

Token endpoints look only at ``Authorization: Bearer <token>``, never at the login cookie, so
a browser session cannot reach them (and CSRF, which guards cookie sessions, has nothing to
guard there). Organizer pages that manage tokens use the usual organizer check.
"""

from __future__ import annotations

from flask import abort, request

from podium.api.enums import TokenScope
from podium.api.models import ApiToken
from podium.api.services import find_token
from podium.events.models import Event
from podium.events.permissions import require_organizer

__all__ = ["bearer_token", "require_token", "require_token_manager"]


def bearer_token() -> str | None:
    """The token text of this request's ``Authorization: Bearer`` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def require_token(event: Event, scopes: frozenset[TokenScope]) -> ApiToken:
    """The request's token if it belongs to ``event`` and has one of ``scopes``.

    Raises (through ``abort``):
        401: no bearer token, or an unknown or revoked one.
        404: the token belongs to another event (as if the event did not exist for it).
        403: the token lacks every one of ``scopes``.
    """
    text = bearer_token()
    if text is None:
        abort(401, description="Send an API token: Authorization: Bearer <token>.")
    token = find_token(text)
    if token is None:
        abort(401, description="The API token is unknown or was revoked.")
    if token.event_id != event.id:
        abort(404, description=f"There is no event {event.slug[:80]!r} for this token.")
    if not scopes & set(token.scopes):
        wanted = " or ".join(sorted(scopes))
        abort(403, description=f"This API token lacks the {wanted} scope.")
    return token


def require_token_manager(event: Event) -> None:
    """Send anonymous visitors to log in; 403 unless the user organizes ``event``."""
    require_organizer(event)
