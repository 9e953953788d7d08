"""All changes to webhook endpoints, and queueing deliveries (the outbox write).

``queue_event`` only adds rows to the session: the caller's commit writes them together with
the change they report (a release, a submission's new state), and ``podium worker`` sends
them afterwards. A web request never waits on a receiver, and a rolled-back change sends
nothing.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from podium.accounts.models import User
from podium.db import utcnow
from podium.events.models import Event
from podium.extensions import db
from podium.webhooks.enums import WebhookEventType as E
from podium.webhooks.models import WebhookDelivery, WebhookEndpoint
from podium.webhooks.sending import UrlRefused, check_url

SUBSCRIBABLE = frozenset(E) - {E.PING}
_ENDPOINT_CACHE = "podium_webhook_endpoints"


class EndpointError(ValueError):
    """An endpoint that cannot be registered; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def allow_private() -> bool:
    """The operator's ``WEBHOOKS_ALLOW_PRIVATE`` setting (default false)."""
    return bool(current_app.config.get("WEBHOOKS_ALLOW_PRIVATE", False))


def new_secret() -> str:
    """A signing secret: ``whsec_`` and 32 random bytes, URL-safe base64."""
    return "whsec_" + secrets.token_urlsafe(32)


def create_endpoint(
    *, event: Event, url: str, events: Iterable[str], actor: User | None
) -> WebhookEndpoint:
    """Register ``url`` for ``events`` of ``event`` with a new secret, and commit.

    Raises:
        EndpointError: the URL is refused (field ``url``: not HTTPS, or its host resolves to a
            loopback, private or link-local address while the operator does not allow them),
            or no known event type is chosen (field ``events``).
    """
    chosen = sorted(set(events))
    if not chosen or set(chosen) - SUBSCRIBABLE:
        raise EndpointError(_("Choose at least one of the listed events."), "events")
    url = url.strip()
    try:
        check_url(url, allow_private=allow_private())
    except UrlRefused as error:
        raise EndpointError(str(error), "url") from None
    endpoint = WebhookEndpoint(
        event_id=event.id,
        url=url,
        secret=new_secret(),
        events=chosen,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(endpoint)
    db.session.commit()
    return endpoint


def delete_endpoint(*, endpoint: WebhookEndpoint) -> None:
    """Remove ``endpoint`` and its delivery log (commits); queued deliveries are dropped."""
    db.session.delete(endpoint)
    db.session.commit()


def _subscribers(event_id: int, kind: E) -> list[int]:
    """Ids of the event's active endpoints subscribed to ``kind``.

    Remembered for the rest of the current transaction, so a batch of changes (releasing
    hundreds of decisions) looks the endpoints up once, not once per change.
    """
    session = db.session()
    cached = session.info.get(_ENDPOINT_CACHE)
    current = session.get_transaction()
    if cached is None or current is None or cached[0] is not current:
        cached = (None, {})
    by_event: dict[int, list[tuple[int, list[str]]]] = cached[1]
    if event_id not in by_event:
        # No autoflush: the caller's pending change (a release) must be flushed by its own
        # commit, where the caller handles its errors (a concurrent publish), not by this read.
        with session.no_autoflush:
            by_event[event_id] = [
                (row.id, list(row.events or []))
                for row in session.execute(
                    select(WebhookEndpoint.id, WebhookEndpoint.events).where(
                        WebhookEndpoint.event_id == event_id, WebhookEndpoint.active.is_(True)
                    )
                )
            ]
    # Keyed on the transaction the query ran in (it began one if none was open).
    session.info[_ENDPOINT_CACHE] = (session.get_transaction(), by_event)
    return [endpoint_id for endpoint_id, kinds in by_event[event_id] if kind in kinds]


def _delivery(endpoint_id: int, kind: E, event: Event, data: Mapping[str, Any]) -> WebhookDelivery:
    uid = str(uuid.uuid4())
    payload = {
        "id": uid,
        "type": kind.value,
        "created_at": utcnow().replace(microsecond=0).isoformat(),
        "event": {"slug": event.slug, "name": event.name},
        "data": data,
    }
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    return WebhookDelivery(endpoint_id=endpoint_id, uid=uid, kind=kind.value, body=body)


def queue_event(*, event: Event, kind: E, data: Mapping[str, Any]) -> int:
    """Add a delivery of ``kind`` with ``data`` for each subscribed endpoint; no commit.

    Returns:
        How many deliveries were added (0 when no endpoint wants ``kind``).
    """
    endpoints = _subscribers(event.id, kind)
    for endpoint_id in endpoints:
        db.session.add(_delivery(endpoint_id, kind, event, data))
    return len(endpoints)


def queue_test(*, event: Event, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Queue a ``ping`` delivery to ``endpoint`` (the "send test" button) and commit."""
    delivery = _delivery(endpoint.id, E.PING, event, {"endpoint_id": endpoint.id})
    db.session.add(delivery)
    db.session.commit()
    return delivery


def queue_release(
    *, event: Event, version: int, comment: str, changelog: Mapping[str, Any]
) -> None:
    """Queue ``release.published`` and, per changed session, ``session.changed`` (moved or
    changed room) and ``session.canceled``, for the release being published; no commit.

    ``changelog`` is the release's (see :func:`podium.schedule.services.changelog`).
    """
    queue_event(
        event=event,
        kind=E.RELEASE_PUBLISHED,
        data={
            "version": version,
            "comment": comment,
            "changes": {key: len(changelog.get(key, [])) for key in _SESSION_CHANGES},
        },
    )
    for key in ("moved", "room_changed"):
        for item in changelog.get(key, []):
            queue_event(
                event=event,
                kind=E.SESSION_CHANGED,
                data={"release": version, "change": key, "session": item},
            )
    for item in changelog.get("canceled", []):
        queue_event(
            event=event, kind=E.SESSION_CANCELED, data={"release": version, "session": item}
        )


_SESSION_CHANGES = ("new", "moved", "room_changed", "canceled")


def queue_state_change(*, event: Event, submission: Any, from_state: str, to_state: str) -> None:
    """Queue ``submission.state_changed`` and, for ``confirmed``, ``speaker.confirmed``;
    no commit. ``submission`` is a :class:`podium.cfp.models.Submission`."""
    data = {
        "submission": {"id": submission.id, "guid": submission.guid, "title": submission.title},
        "from_state": from_state,
        "to_state": to_state,
    }
    queue_event(event=event, kind=E.SUBMISSION_STATE_CHANGED, data=data)
    if to_state == "confirmed":
        queue_event(event=event, kind=E.SPEAKER_CONFIRMED, data=data)
