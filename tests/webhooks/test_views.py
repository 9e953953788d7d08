"""The organizer's webhook pages: registering, the delivery log, "send test", removal,
permissions and query counts."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from podium.extensions import db
from podium.webhooks import services
from podium.webhooks.models import WebhookDelivery, WebhookEndpoint
from podium.webhooks.worker import run_once
from tests.schedule.builders import make_event
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries
from tests.webhooks.receiver import Receiver


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"WEBHOOKS_ALLOW_PRIVATE": True}


@pytest.fixture
def team(app: Flask):  # type: ignore[no-untyped-def]
    event, other = make_event(slug="demo"), make_event(slug="other")
    organizer, other_organizer = UserFactory(), UserFactory()
    reviewer, speaker = UserFactory(), UserFactory()
    MembershipFactory(event=event, user=organizer)
    MembershipFactory(event=other, user=other_organizer)
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    return {
        "event": event,
        "organizer": organizer,
        "users": {
            "anonymous": None,
            "speaker": speaker,
            "reviewer": reviewer,
            "other_organizer": other_organizer,
            "organizer": organizer,
        },
    }


def test_register_send_test_and_read_the_delivery_log(app: Flask, team) -> None:
    receiver = Receiver().start()
    try:
        client = login(app.test_client(), team["organizer"])
        response = client.post(
            "/orga/demo/webhooks/",
            data={"url": receiver.url, "events": ["release.published", "speaker.confirmed"]},
        )
        endpoint = db.session.scalars(select(WebhookEndpoint)).one()
        assert response.status_code == 302
        assert response.headers["Location"] == f"/orga/demo/webhooks/{endpoint.id}"
        assert endpoint.events == ["release.published", "speaker.confirmed"]
        page = client.get(f"/orga/demo/webhooks/{endpoint.id}").get_data(as_text=True)
        assert f'value="{endpoint.secret}"' in page
        assert "Nothing was sent to this endpoint yet." in page

        sent = client.post(f"/orga/demo/webhooks/{endpoint.id}/test")
        assert sent.status_code == 302
        assert receiver.requests == []  # queued, not sent during the request
        (queued,) = db.session.scalars(select(WebhookDelivery)).all()
        assert (queued.kind, queued.state) == ("ping", "queued")
        run_once(worker="test")
        assert len(receiver.requests) == 1
        page = client.get(f"/orga/demo/webhooks/{endpoint.id}").get_data(as_text=True)
        assert '<span class="badge webhook-delivered">delivered</span>' in page
        assert "<td>200</td>" in page
        listing = client.get("/orga/demo/webhooks/").get_data(as_text=True)
        assert receiver.url in listing
    finally:
        receiver.stop()


def test_form_errors_name_the_fields(app: Flask, team) -> None:
    client = login(app.test_client(), team["organizer"])
    response = client.post("/orga/demo/webhooks/", data={"url": "", "events": []})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="url-error">This field is required.' in page
    assert "Choose at least one event." in page
    unknown = client.post(
        "/orga/demo/webhooks/", data={"url": "https://93.184.216.34/", "events": ["ping"]}
    )
    assert unknown.status_code == 400
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_delete_removes_endpoint_and_log(app: Flask, team) -> None:
    endpoint = services.create_endpoint(
        event=team["event"], url="http://127.0.0.1:9/", events=["release.published"], actor=None
    )
    services.queue_test(event=team["event"], endpoint=endpoint)
    client = login(app.test_client(), team["organizer"])
    response = client.post(f"/orga/demo/webhooks/{endpoint.id}/delete")
    assert response.status_code == 302
    assert db.session.scalars(select(WebhookEndpoint)).all() == []
    assert db.session.scalars(select(WebhookDelivery)).all() == []


def test_webhook_pages_permissions(app: Flask, team) -> None:
    event = team["event"]
    ident = services.create_endpoint(
        event=event, url="http://127.0.0.1:9/", events=["release.published"], actor=None
    ).id

    def fresh_endpoint() -> None:
        # The delete route removes it; put it back (same id: the sequence is already past it).
        if db.session.get(WebhookEndpoint, ident) is None:
            db.session.add(
                WebhookEndpoint(
                    id=ident, event_id=event.id, url="http://127.0.0.1:9/", secret="s", events=[]
                )
            )
            db.session.commit()

    base = f"/orga/demo/webhooks/{ident}"
    check_matrix(
        app,
        team["users"],
        [
            Route("GET", "/orga/demo/webhooks/", allowed={"organizer"}),
            Route(
                "POST",
                "/orga/demo/webhooks/",
                data={"url": "http://127.0.0.1:9/x", "events": ["release.published"]},
                allowed={"organizer"},
            ),
            Route("GET", base, allowed={"organizer"}, setup=fresh_endpoint),
            Route("POST", f"{base}/test", allowed={"organizer"}, setup=fresh_endpoint),
            Route("POST", f"{base}/delete", allowed={"organizer"}, setup=fresh_endpoint),
        ],
    )


def test_other_events_endpoint_is_404_for_an_organizer(app: Flask, team) -> None:
    foreign = services.create_endpoint(
        event=make_event(slug="third"),
        url="http://127.0.0.1:9/",
        events=["release.published"],
        actor=None,
    )
    client = login(app.test_client(), team["organizer"])
    assert client.get(f"/orga/demo/webhooks/{foreign.id}").status_code == 404
    assert client.post(f"/orga/demo/webhooks/{foreign.id}/test").status_code == 404


def test_pages_run_a_fixed_number_of_queries(app: Flask, team) -> None:
    client = login(app.test_client(), team["organizer"])
    counts = []
    for extra in (1, 8):
        for _ in range(extra):
            endpoint = services.create_endpoint(
                event=team["event"],
                url="http://127.0.0.1:9/",
                events=["release.published"],
                actor=None,
            )
            for _ in range(3):
                services.queue_test(event=team["event"], endpoint=endpoint)
        client.get("/orga/demo/webhooks/")
        with count_queries() as listing:
            assert client.get("/orga/demo/webhooks/").status_code == 200
        with count_queries() as detail:
            assert client.get(f"/orga/demo/webhooks/{endpoint.id}").status_code == 200
        counts.append((listing.count, detail.count))
    assert counts[0] == counts[1]
