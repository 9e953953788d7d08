"""No SSRF: endpoints on loopback, private, link-local or other non-public addresses are
refused when registered and again when sent to, unless the operator allows them."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from podium.extensions import db
from podium.webhooks import services
from podium.webhooks.models import WebhookDelivery, WebhookEndpoint
from podium.webhooks.sending import UrlRefused, check_url, is_refused_address
from podium.webhooks.worker import run_once
from tests.schedule.builders import make_event
from tests.webhooks.receiver import Receiver

REFUSED_URLS = [
    "https://127.0.0.1/hooks",
    "https://127.1.2.3:8443/hooks",
    "https://localhost/hooks",
    "https://10.0.0.5/hooks",
    "https://172.16.0.1/hooks",
    "https://192.168.1.10/hooks",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/hooks",
    "https://0.0.0.0/hooks",
    "https://[::1]/hooks",
    "https://[fe80::1]/hooks",
    "https://[fd00::1]/hooks",
    "https://[::ffff:127.0.0.1]/hooks",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_private_addresses_are_refused_at_registration(app: Flask, url: str) -> None:
    event = make_event(slug="demo")
    with pytest.raises(services.EndpointError) as refused:
        services.create_endpoint(event=event, url=url, events=["release.published"], actor=None)
    assert refused.value.field == "url"
    assert "loopback, private or link-local address" in str(refused.value)
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.org/hooks", "The URL must start with https://."),
        ("ftp://example.org/hooks", "The URL must start with https://."),
        (
            "https://user:pw@example.org/",
            "Put no user name or password in the URL; the signature authenticates.",
        ),
        ("https:///nohost", "The URL has no host name."),
        ("https://example.org:99999/", "This is not a valid URL."),
    ],
)
def test_malformed_or_plain_http_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(UrlRefused) as refused:
        check_url(url, allow_private=False)
    assert str(refused.value) == message


def test_public_addresses_pass() -> None:
    assert not is_refused_address("93.184.216.34")
    assert not is_refused_address("2606:2800:220:1:248:1893:25c8:1946")
    target = check_url("https://93.184.216.34:8443/in?x=1", allow_private=False)
    assert (target.host, target.port, target.path, target.addresses) == (
        "93.184.216.34",
        8443,
        "/in?x=1",
        ("93.184.216.34",),
    )


def test_form_shows_the_refusal_on_the_url_field(app: Flask) -> None:
    from tests.support.auth import login
    from tests.support.factories import MembershipFactory, UserFactory

    event = make_event(slug="demo")
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer)
    client = login(app.test_client(), organizer)
    response = client.post(
        "/orga/demo/webhooks/",
        data={"url": "https://169.254.169.254/latest", "events": ["release.published"]},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="url-error">169.254.169.254 resolves to 169.254.169.254, a loopback' in page
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_refused_again_at_send_time_when_the_setting_is_off(app: Flask) -> None:
    """An endpoint stored while private addresses were allowed (or whose name now resolves to
    one) fails at once when the setting is off, and nothing reaches it."""
    receiver = Receiver().start()
    try:
        event = make_event(slug="demo")
        endpoint = WebhookEndpoint(
            event_id=event.id, url=receiver.url, secret="s", events=["release.published"]
        )
        db.session.add(endpoint)
        db.session.commit()
        services.queue_test(event=event, endpoint=endpoint)
        result = run_once(worker="test")
    finally:
        receiver.stop()
    assert (result.delivered, result.retried, result.failed) == (0, 0, 1)
    assert receiver.requests == []
    row = db.session.scalars(select(WebhookDelivery)).one()
    assert row.state == "failed"
    assert row.last_error == "The URL must start with https://."


class TestAllowedByTheOperator:
    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        return {"WEBHOOKS_ALLOW_PRIVATE": True}

    def test_loopback_is_accepted_when_allowed(self, app: Flask) -> None:
        event = make_event(slug="demo")
        endpoint = services.create_endpoint(
            event=event, url="http://127.0.0.1:9/hooks", events=["release.published"], actor=None
        )
        assert endpoint.url == "http://127.0.0.1:9/hooks"
        assert endpoint.secret.startswith("whsec_")


def test_setting_is_read_and_validated_at_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from podium.config import ConfigError, load_config

    base = {"PODIUM_INSTANCE_PATH": str(tmp_path), "PODIUM_ENV_FILE": "/dev/null"}
    loaded = load_config(environ={**base, "PODIUM_WEBHOOKS_ALLOW_PRIVATE": "true"})
    assert loaded.values["WEBHOOKS_ALLOW_PRIVATE"] is True
    assert load_config(environ=base).values["WEBHOOKS_ALLOW_PRIVATE"] is False
    with pytest.raises(ConfigError) as bad:
        load_config(environ={**base, "PODIUM_WEBHOOKS_ALLOW_PRIVATE": "maybe"})
    assert "PODIUM_WEBHOOKS_ALLOW_PRIVATE" in str(bad.value)
