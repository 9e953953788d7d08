"""The shared test factories build valid rows (other tests rely on them)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from podium.extensions import db
from podium.schedule.models import Slot
from tests.support.factories import EventFactory, SlotFactory


def test_slot_factory_belongs_to_the_given_event(app: Flask) -> None:
    event = EventFactory()
    slot = SlotFactory(event=event, title="Opening", kind="break")
    stored = db.session.get(Slot, slot.id)
    assert stored.event_id == event.id
    assert stored.end_at - stored.start_at == timedelta(minutes=30)
