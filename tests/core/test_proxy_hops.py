"""PODIUM_PROXY_HOPS: the client address behind trusted reverse proxies, and only behind them.

The requests stand for what nginx sends (``X-Forwarded-For: <client>`` appended, the TCP peer
being the proxy) and for what an attacker sends straight to gunicorn (a forged header).
"""

from __future__ import annotations

import pytest
from flask import Flask, request
from flask.testing import FlaskClient

from podium.config import ConfigError, load_config

PROXY = "172.18.0.5"
WRONG_LOGIN = {"email": "nobody@example.org", "password": "guess guess guess"}


def _where(app: Flask, client: FlaskClient, headers: dict[str, str]) -> tuple[str, str, str]:
    """(remote address, scheme, host) the app sees for a request from the proxy's address."""
    seen: dict[str, str] = {}

    @app.get("/_test/where")
    def where() -> str:
        seen.update(addr=request.remote_addr or "", scheme=request.scheme, host=request.host)
        return "ok"

    response = client.get("/_test/where", headers=headers, environ_base={"REMOTE_ADDR": PROXY})
    assert response.status_code == 200
    return seen["addr"], seen["scheme"], seen["host"]


def _logins(client: FlaskClient, forwarded_for: str, count: int) -> list[int]:
    return [
        client.post(
            "/account/login",
            data=WRONG_LOGIN,
            headers={"X-Forwarded-For": forwarded_for},
            environ_base={"REMOTE_ADDR": PROXY},
        ).status_code
        for _ in range(count)
    ]


FORWARDED = {
    "X-Forwarded-For": "198.51.100.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "cfp.example.org",
}


class TestNoTrustedProxy:
    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        return {"LOGIN_RATE_LIMIT": "2 per minute"}

    def test_default_is_zero_hops(self, app: Flask) -> None:
        assert app.config["PROXY_HOPS"] == 0

    def test_forged_forwarded_headers_are_ignored(self, app: Flask, client: FlaskClient) -> None:
        assert _where(app, client, FORWARDED) == (PROXY, "http", "localhost")

    def test_forged_address_does_not_escape_the_rate_limit(self, client: FlaskClient) -> None:
        assert _logins(client, "203.0.113.1", 2) == [400, 400]
        # Another made-up address per request: still the same TCP peer, still one bucket.
        assert _logins(client, "203.0.113.2", 1) == [429]


class TestOneTrustedProxy:
    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        return {"PROXY_HOPS": 1, "LOGIN_RATE_LIMIT": "2 per minute"}

    def test_client_address_scheme_and_host_come_from_the_proxy(
        self, app: Flask, client: FlaskClient
    ) -> None:
        assert _where(app, client, FORWARDED) == ("198.51.100.7", "https", "cfp.example.org")

    def test_only_the_address_the_proxy_appended_is_trusted(
        self, app: Flask, client: FlaskClient
    ) -> None:
        # The client sent "X-Forwarded-For: 10.0.0.1" itself; nginx appended the real peer.
        headers = {"X-Forwarded-For": "10.0.0.1, 198.51.100.7"}
        assert _where(app, client, headers) == ("198.51.100.7", "http", "localhost")

    def test_each_client_behind_the_proxy_has_its_own_bucket(self, client: FlaskClient) -> None:
        assert _logins(client, "198.51.100.1", 3) == [400, 400, 429]
        assert _logins(client, "198.51.100.2", 3) == [400, 400, 429]


def test_proxy_hops_is_read_from_the_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    environ = {"PODIUM_PROXY_HOPS": "1", "PODIUM_INSTANCE_PATH": str(tmp_path)}
    assert load_config(environ=environ).values["PROXY_HOPS"] == 1


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("-1", "-1 is not between 0 and 5"),
        ("6", "6 is not between 0 and 5"),
        ("one", "'one' is not a whole number"),
    ],
)
def test_bad_proxy_hops_stops_start_with_one_line(tmp_path, raw: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    environ = {"PODIUM_PROXY_HOPS": raw, "PODIUM_INSTANCE_PATH": str(tmp_path)}
    with pytest.raises(ConfigError) as caught:
        load_config(environ=environ)
    assert str(caught.value) == (
        f"configuration error: PODIUM_PROXY_HOPS (from environment): {problem}; set it like 1"
    )
