"""Reads of the webhook pages, each a fixed number of queries whatever the amount of data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from podium.extensions import db
from podium.webhooks.models import WebhookDelivery, WebhookEndpoint

LOG_LENGTH = 50


def endpoints_with_counts(event_id: int) -> list[dict[str, Any]]:
    """The event's endpoints (oldest first), each as ``{"endpoint", "counts": {state: n}}``.

    Two queries.
    """
    endpoints = db.session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.event_id == event_id)
        .order_by(WebhookEndpoint.id)
    ).all()
    counts: dict[int, dict[str, int]] = {e.id: {} for e in endpoints}
    for endpoint_id, state, count in db.session.execute(
        select(WebhookDelivery.endpoint_id, WebhookDelivery.state, func.count())
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookEndpoint.event_id == event_id)
        .group_by(WebhookDelivery.endpoint_id, WebhookDelivery.state)
    ):
        counts[endpoint_id][state] = count
    return [{"endpoint": e, "counts": counts[e.id]} for e in endpoints]


def delivery_log(endpoint_id: int, limit: int = LOG_LENGTH) -> Sequence[WebhookDelivery]:
    """The endpoint's latest ``limit`` deliveries, newest first (one query)."""
    return db.session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    ).all()
