"""Sending due webhook deliveries: claimed like mail, signed per try, retried with backoff.

``podium worker`` calls :func:`run_once` in the same loop that sends mail. Claims work as in
:mod:`podium.mail.worker` (one conditional UPDATE; ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; a lease in ``locked_until``), so several workers never send one delivery twice
at once, and a worker that dies mid-send leaves the delivery to be retried after the lease
(at-least-once: receivers de-duplicate on ``Podium-Delivery``).

Backoff: ``retry_seconds * 2**(attempts-1)`` capped at ``max_retry_seconds``; after
``max_attempts`` failed tries, or at once when the endpoint's address is refused, the delivery
is ``failed``. The worker never holds a transaction open while waiting on a receiver.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from podium.db import utcnow
from podium.extensions import db
from podium.outbox import claim_due_rows, finish_claimed, retry_delay
from podium.webhooks import signing
from podium.webhooks.enums import DeliveryState as D
from podium.webhooks.models import WebhookDelivery, WebhookEndpoint
from podium.webhooks.sending import DeliveryFailed, UrlRefused, post

log = logging.getLogger("podium.webhooks.worker")


@dataclass(frozen=True)
class DeliveryOptions:
    """Tuning of webhook sending; times in seconds."""

    batch_size: int = 20
    retry_seconds: float = 60
    max_retry_seconds: float = 3600
    max_attempts: int = 8
    lease_seconds: float = 120
    timeout: float = 10


@dataclass
class DeliveryResult:
    """What one :func:`run_once` did: counts of deliveries and their error messages."""

    delivered: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def backoff_seconds(attempts: int, options: DeliveryOptions) -> float:
    """Delay before the next try after ``attempts`` failed tries (1 → ``retry_seconds``)."""
    return retry_delay(
        attempts, first_seconds=options.retry_seconds, max_seconds=options.max_retry_seconds
    )


def claim_batch(*, worker: str, options: DeliveryOptions) -> tuple[str, list[WebhookDelivery]]:
    """Atomically claim up to ``options.batch_size`` due deliveries, oldest due first.

    Returns:
        ``(claim, deliveries)``: the token written to ``locked_by`` and the claimed rows.
    """
    return claim_due_rows(
        WebhookDelivery,
        queued=D.QUEUED,
        sending=D.SENDING,
        worker=worker,
        batch_size=options.batch_size,
        lease_seconds=options.lease_seconds,
    )


def _finish(delivery_id: int, claim: str, **values: object) -> None:
    stored = finish_claimed(
        WebhookDelivery, delivery_id, claim, sending=D.SENDING, last_attempt_at=utcnow(), **values
    )
    if not stored:
        log.warning("webhook delivery %s: lease expired before the result was stored", delivery_id)


def send_one(
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint,
    claim: str,
    *,
    options: DeliveryOptions,
    allow_private: bool,
    result: DeliveryResult,
) -> None:
    """Sign and POST one claimed delivery, then record the outcome (each in its own commit)."""
    body = delivery.body.encode("utf-8")
    delivery_id, attempts = delivery.id, delivery.attempts + 1
    headers = {
        signing.HEADER: signing.sign(endpoint.secret, body),
        "Podium-Delivery": delivery.uid,
        "Podium-Event": delivery.kind,
    }
    url = endpoint.url
    db.session.commit()  # end the read transaction: nothing stays open while we wait
    try:
        status = post(url, body, headers, timeout=options.timeout, allow_private=allow_private)
    except UrlRefused as error:
        _finish(delivery_id, claim, state=D.FAILED, attempts=attempts, last_error=str(error))
        result.failed += 1
        result.errors.append(str(error))
        log.error("webhook delivery %s refused for good: %s", delivery_id, error)
        return
    except DeliveryFailed as error:
        values: dict[str, object] = {
            "attempts": attempts,
            "last_error": str(error),
            "response_code": error.status,
        }
        result.errors.append(str(error))
        if attempts >= options.max_attempts:
            _finish(delivery_id, claim, state=D.FAILED, **values)
            result.failed += 1
            log.error("webhook delivery %s failed for good: %s", delivery_id, error)
        else:
            delay = backoff_seconds(attempts, options)
            next_at = utcnow() + timedelta(seconds=delay)
            _finish(delivery_id, claim, state=D.QUEUED, next_attempt_at=next_at, **values)
            result.retried += 1
            log.warning("webhook delivery %s: %s; next try in %.0f s", delivery_id, error, delay)
        return
    _finish(
        delivery_id,
        claim,
        state=D.DELIVERED,
        attempts=attempts,
        response_code=status,
        last_error="",
        delivered_at=utcnow(),
    )
    result.delivered += 1


def run_once(*, worker: str, options: DeliveryOptions | None = None) -> DeliveryResult:
    """Send every delivery that is due now, batch by batch (needs an app context)."""
    options = options or DeliveryOptions()
    allow_private = bool(current_app.config.get("WEBHOOKS_ALLOW_PRIVATE", False))
    total = DeliveryResult()
    while True:
        claim, deliveries = claim_batch(worker=worker, options=options)
        if not deliveries:
            return total
        endpoints = {
            e.id: e
            for e in db.session.scalars(
                select(WebhookEndpoint).where(
                    WebhookEndpoint.id.in_({d.endpoint_id for d in deliveries})
                )
            )
        }
        for delivery in deliveries:
            send_one(
                delivery,
                endpoints[delivery.endpoint_id],
                claim,
                options=options,
                allow_private=allow_private,
                result=total,
            )
