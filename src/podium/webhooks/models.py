"""Webhook endpoints of an event and the deliveries queued for them (the webhook outbox)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from podium.db import utcnow
from podium.extensions import db


class WebhookEndpoint(db.Model):
    """A URL an event's organizers registered, the event types it wants, and its secret.

    ``secret`` signs every delivery (HMAC-SHA256, see :mod:`podium.webhooks.signing`); it is
    kept in clear because signing needs it, and shown to the event's organizers only.
    ``events`` is a list of :class:`podium.webhooks.enums.WebhookEventType` values.
    """

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(100))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(db.Model):
    """One JSON POST to one endpoint, written in the transaction of the change it reports.

    ``body`` is the exact JSON text sent (and signed) on every try; ``uid`` is its id, in the
    body and the ``Podium-Delivery`` header, so receivers can drop a repeated delivery.
    ``state`` is a :class:`podium.webhooks.enums.DeliveryState`; ``next_attempt_at`` is the
    retry backoff; ``response_code`` is the receiver's last HTTP status (None: no answer).
    All instants are UTC.
    """

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(50))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    response_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
    locked_by: Mapped[str] = mapped_column(String(100), default="")
