"""Webhook deliveries end to end: queued with the change, sent by the worker to a real
receiver, signed, retried with backoff after the receiver was down, never blocking."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select, update

from podium.cfp.services import change_state
from podium.cli import cli
from podium.db import utcnow
from podium.extensions import db
from podium.schedule import services as schedule
from podium.webhooks import services, signing
from podium.webhooks.models import WebhookDelivery, WebhookEndpoint
from podium.webhooks.worker import DeliveryOptions, run_once
from tests.schedule.builders import local, make_event, make_rooms, make_submission, place
from tests.webhooks.receiver import Receiver, free_port

ALL = [
    "release.published",
    "session.changed",
    "session.canceled",
    "submission.state_changed",
    "speaker.confirmed",
]


@pytest.fixture
def app_config() -> dict[str, object]:
    # The receiver listens on 127.0.0.1, which only this setting lets webhooks reach.
    return {"WEBHOOKS_ALLOW_PRIVATE": True}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver().start()
    yield running
    running.stop()


def _endpoint(event, url: str, events=ALL) -> WebhookEndpoint:  # type: ignore[no-untyped-def]
    return services.create_endpoint(event=event, url=url, events=events, actor=None)


def _deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def _verified(request, secret: str) -> dict:  # type: ignore[no-untyped-def]
    """The JSON body of a received request after checking its signature like a receiver."""
    signing.verify(secret, request.headers[signing.HEADER], request.body)
    return json.loads(request.body)


def test_publishing_queues_then_worker_delivers_signed_json(app: Flask, receiver) -> None:
    event = make_event(slug="demo")
    (room_a,) = make_rooms(event, 1)
    slot = place(event, room_a, "2030-02-02 10:00", title="Opening")
    endpoint = _endpoint(event, receiver.url, ["release.published", "session.changed"])
    schedule.publish_release(event=event, actor=None, comment="First")
    queued = _deliveries()
    assert [(d.kind, d.state, d.attempts) for d in queued] == [("release.published", "queued", 0)]
    assert receiver.requests == []  # publishing did not wait on the receiver

    result = run_once(worker="test")
    assert (result.delivered, result.retried, result.failed) == (1, 0, 0)
    (request,) = receiver.requests
    body = _verified(request, endpoint.secret)
    assert request.path == "/hooks"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Podium-Event"] == "release.published"
    assert request.headers["Podium-Delivery"] == body["id"] == queued[0].uid
    assert body["type"] == "release.published"
    assert body["event"] == {"slug": "demo", "name": event.name}
    assert body["data"] == {
        "version": 1,
        "comment": "First",
        "changes": {"new": 1, "moved": 0, "room_changed": 0, "canceled": 0},
    }
    (delivered,) = _deliveries()
    assert (delivered.state, delivered.response_code, delivered.attempts) == ("delivered", 200, 1)
    assert delivered.delivered_at is not None and delivered.last_attempt_at is not None

    schedule.move_slot(
        event=event, slot=slot, room=room_a, start_at=local(event, "2030-02-02 11:00")
    )
    schedule.publish_release(event=event, actor=None)
    run_once(worker="test")
    kinds = [r.headers["Podium-Event"] for r in receiver.requests]
    assert kinds == ["release.published", "release.published", "session.changed"]
    changed = _verified(receiver.requests[2], endpoint.secret)["data"]
    assert (changed["release"], changed["change"]) == (2, "moved")
    assert changed["session"]["title"] == "Opening"


def test_canceled_session_in_a_release_is_announced(app: Flask, receiver) -> None:
    event = make_event(slug="demo")
    (room,) = make_rooms(event, 1)
    slot = place(event, room, "2030-02-02 10:00", title="Dropped")
    schedule.publish_release(event=event, actor=None)
    endpoint = _endpoint(event, receiver.url, ["session.canceled"])
    schedule.unschedule_slot(event=event, slot=slot)
    schedule.publish_release(event=event, actor=None)
    run_once(worker="test")
    (request,) = receiver.requests
    body = _verified(request, endpoint.secret)
    assert (body["type"], body["data"]["release"], body["data"]["session"]["title"]) == (
        "session.canceled",
        2,
        "Dropped",
    )


def test_state_change_and_confirmation_are_queued_with_the_change(app: Flask, receiver) -> None:
    event = make_event(slug="demo")
    submission = make_submission(event, title="Talk", state="accepted")
    _endpoint(event, receiver.url)
    other = make_event(slug="other")
    _endpoint(other, receiver.url)  # another event's endpoint hears nothing of this one
    change_state(submission=submission, to_state="confirmed", actor=None)
    deliveries = _deliveries()
    assert [d.kind for d in deliveries] == ["submission.state_changed", "speaker.confirmed"]
    data = json.loads(deliveries[0].body)["data"]
    assert data == {
        "submission": {"id": submission.id, "guid": submission.guid, "title": "Talk"},
        "from_state": "accepted",
        "to_state": "confirmed",
    }
    assert {d.endpoint_id for d in deliveries} == {
        db.session.scalar(select(WebhookEndpoint.id).where(WebhookEndpoint.event_id == event.id))
    }


def test_a_rolled_back_change_sends_nothing(app: Flask, receiver) -> None:
    event = make_event(slug="demo")
    submission = make_submission(event, state="accepted")
    _endpoint(event, receiver.url)
    change_state(submission=submission, to_state="confirmed", actor=None, commit=False)
    db.session.rollback()
    assert _deliveries() == []
    assert run_once(worker="test").delivered == 0


def test_retry_with_backoff_after_the_receiver_was_down(app: Flask) -> None:
    event = make_event(slug="demo")
    port = free_port()
    endpoint = _endpoint(event, f"http://127.0.0.1:{port}/hooks")
    services.queue_test(event=event, endpoint=endpoint)
    before = utcnow()
    result = run_once(worker="test")
    assert (result.delivered, result.retried, result.failed) == (0, 1, 0)
    (waiting,) = _deliveries()
    assert (waiting.state, waiting.attempts, waiting.response_code) == ("queued", 1, None)
    assert "Connection refused" in waiting.last_error
    delay = (waiting.next_attempt_at - before).total_seconds()
    assert 59 <= delay <= 62  # the first retry waits retry_seconds (60)
    assert run_once(worker="test").retried == 0  # not due yet: nothing is tried

    receiver = Receiver(port=port).start()
    try:
        # Time passes: the retry is due.
        db.session.execute(
            update(WebhookDelivery).values(next_attempt_at=utcnow() - dt.timedelta(seconds=1))
        )
        db.session.commit()
        assert run_once(worker="test").delivered == 1
        (request,) = receiver.requests
        body = _verified(request, endpoint.secret)
        assert (body["type"], body["data"]) == ("ping", {"endpoint_id": endpoint.id})
    finally:
        receiver.stop()
    (done,) = _deliveries()
    assert (done.state, done.attempts, done.response_code, done.last_error) == (
        "delivered",
        2,
        200,
        "",
    )


def test_error_answers_back_off_and_fail_after_max_attempts(app: Flask) -> None:
    receiver = Receiver(status=500).start()
    try:
        event = make_event(slug="demo")
        endpoint = _endpoint(event, receiver.url)
        services.queue_test(event=event, endpoint=endpoint)
        options = DeliveryOptions(retry_seconds=10, max_attempts=3)
        delays = []
        for _ in range(3):
            start = utcnow()
            run_once(worker="test", options=options)
            (row,) = _deliveries()
            delays.append(round((row.next_attempt_at - start).total_seconds()))
            db.session.execute(
                update(WebhookDelivery).values(next_attempt_at=utcnow() - dt.timedelta(seconds=1))
            )
            db.session.commit()
        (row,) = _deliveries()
        assert (row.state, row.attempts, row.response_code) == ("failed", 3, 500)
        assert row.last_error == "the endpoint answered 500"
        assert delays[:2] == [10, 20]  # doubling backoff
        assert len(receiver.requests) == 3
        timestamps = {r.headers[signing.HEADER].split(",")[0] for r in receiver.requests}
        assert all(t.startswith("t=") for t in timestamps)  # each try signed afresh
    finally:
        receiver.stop()


def test_delivery_of_a_worker_that_died_is_taken_over_after_its_lease(app: Flask, receiver) -> None:
    event = make_event(slug="demo")
    endpoint = _endpoint(event, receiver.url)
    services.queue_test(event=event, endpoint=endpoint)
    db.session.execute(
        update(WebhookDelivery).values(
            state="sending", locked_by="dead:1/x", locked_until=utcnow() + dt.timedelta(minutes=1)
        )
    )
    db.session.commit()
    assert run_once(worker="test").delivered == 0  # still leased to the dead worker
    db.session.execute(
        update(WebhookDelivery).values(locked_until=utcnow() - dt.timedelta(seconds=1))
    )
    db.session.commit()
    assert run_once(worker="test").delivered == 1
    assert len(receiver.requests) == 1


def test_redirects_are_not_followed(app: Flask, receiver) -> None:
    redirecting = Receiver(status=302, location=receiver.url).start()
    try:
        event = make_event(slug="demo")
        endpoint = _endpoint(event, redirecting.url)
        services.queue_test(event=event, endpoint=endpoint)
        run_once(worker="test")
    finally:
        redirecting.stop()
    (row,) = _deliveries()
    assert (row.state, row.response_code) == ("queued", 302)
    assert row.last_error == "the endpoint answered 302 (redirects are not followed)"
    assert len(redirecting.requests) == 1
    assert receiver.requests == []


def test_podium_worker_command_sends_webhooks(app: Flask, receiver) -> None:
    event = make_event(slug="demo")
    endpoint = _endpoint(event, receiver.url)
    services.queue_test(event=event, endpoint=endpoint)
    result = app.test_cli_runner().invoke(cli, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "podium worker: webhooks delivered 1, retrying 0, failed 0" in result.output
    assert len(receiver.requests) == 1
