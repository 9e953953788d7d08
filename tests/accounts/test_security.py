"""Security basics on the account pages: rate limits, CSRF, cookie flags, headers."""

from __future__ import annotations

import re
import secrets
import socket

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from podium.extensions import db
from tests.accounts.helpers import mails_to
from tests.support.auth import login
from tests.support.factories import DEFAULT_PASSWORD, UserFactory

REDIS_URL = "redis://127.0.0.1:6379/0"


def _random_ip() -> str:
    # Each test gets its own client address, so counters never leak between tests.
    return "10." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))


def _post(client: FlaskClient, url: str, data: dict[str, str], ip: str):  # type: ignore[no-untyped-def]
    return client.post(url, data=data, environ_base={"REMOTE_ADDR": ip})


class TestRateLimitsInMemory:
    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        return {"LOGIN_RATE_LIMIT": "3 per minute", "RESET_RATE_LIMIT": "2 per minute"}

    def test_login_is_refused_after_the_limit(self, app: Flask, client: FlaskClient) -> None:
        UserFactory(email="ada@example.org")
        ip = _random_ip()
        wrong = {"email": "ada@example.org", "password": "guess guess guess"}
        codes = [_post(client, "/account/login", wrong, ip).status_code for _ in range(3)]
        assert codes == [400, 400, 400]
        blocked = _post(
            client, "/account/login", {"email": "ada@example.org", "password": DEFAULT_PASSWORD}, ip
        )
        assert blocked.status_code == 429
        assert "Too many requests" in blocked.get_data(as_text=True)
        assert blocked.headers["Retry-After"].isdigit()
        # Another address is not affected, and showing the form is never limited.
        other = _post(
            client,
            "/account/login",
            {"email": "ada@example.org", "password": DEFAULT_PASSWORD},
            _random_ip(),
        )
        assert other.status_code == 302
        form = app.test_client().get("/account/login", environ_base={"REMOTE_ADDR": ip})
        assert form.status_code == 200

    def test_reset_is_refused_after_the_limit(self, app: Flask, client: FlaskClient) -> None:
        ip = _random_ip()
        codes = [
            _post(client, "/account/reset", {"email": f"p{i}@example.org"}, ip).status_code
            for i in range(3)
        ]
        assert codes == [200, 200, 429]

    def test_reset_mails_to_one_address_are_limited_from_any_client(
        self, app: Flask, client: FlaskClient
    ) -> None:
        UserFactory(email="victim@example.org")
        codes = [
            _post(
                client, "/account/reset", {"email": "victim@example.org"}, _random_ip()
            ).status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        assert len(mails_to("victim@example.org")) == 3


class TestRateLimitsFromTheEnvironment:
    @pytest.fixture
    def app_config(self, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
        # What an operator sets; the defaults (10 and 5 per minute) would allow far more.
        monkeypatch.setenv("PODIUM_LOGIN_RATE_LIMIT", "1 per minute;50 per hour")
        monkeypatch.setenv("PODIUM_RESET_RATE_LIMIT", "1/minute")
        return {}

    def test_custom_login_limit_takes_effect(self, app: Flask, client: FlaskClient) -> None:
        assert app.config["LOGIN_RATE_LIMIT"] == "1 per minute;50 per hour"
        ip = _random_ip()
        wrong = {"email": "nobody@example.org", "password": "guess guess guess"}
        codes = [_post(client, "/account/login", wrong, ip).status_code for _ in range(2)]
        assert codes == [400, 429]

    def test_custom_reset_limit_takes_effect(self, app: Flask, client: FlaskClient) -> None:
        ip = _random_ip()
        codes = [
            _post(client, "/account/reset", {"email": f"r{i}@example.org"}, ip).status_code
            for i in range(2)
        ]
        assert codes == [200, 429]


@pytest.fixture(scope="module")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        import os

        if os.environ.get("PODIUM_REQUIRE_REDIS") == "1":
            pytest.fail(f"PODIUM_REQUIRE_REDIS=1 but Redis at {REDIS_URL} does not answer: {exc}")
        pytest.skip(f"rate limits in Redis not tested: no Redis at {REDIS_URL} ({exc})")
    return REDIS_URL


class TestRateLimitsInRedis:
    @pytest.fixture
    def app_config(self, redis_url: str) -> dict[str, object]:
        return {"RATELIMIT_STORAGE_URL": redis_url, "LOGIN_RATE_LIMIT": "2 per minute"}

    def test_login_counters_are_shared_between_app_instances(
        self, app: Flask, client: FlaskClient, database_url: str, tmp_path
    ) -> None:
        from podium import create_app
        from tests.conftest import base_test_config

        ip = _random_ip()
        data = {"email": "nobody@example.org", "password": "guess guess guess"}
        assert _post(client, "/account/login", data, ip).status_code == 400
        # A second app (another gunicorn worker) sees the same counters.
        config = base_test_config(database_url, tmp_path / "second")
        config.update(RATELIMIT_STORAGE_URL=REDIS_URL, LOGIN_RATE_LIMIT="2 per minute")
        second = create_app(config)
        try:
            assert _post(second.test_client(), "/account/login", data, ip).status_code == 400
        finally:
            with second.app_context():
                db.engine.dispose()
        assert _post(client, "/account/login", data, ip).status_code == 429


class TestRateLimitStorageDown:
    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        return {"RATELIMIT_STORAGE_URL": f"redis://127.0.0.1:{port}/0"}

    def test_login_still_works_when_redis_is_unreachable(
        self, app: Flask, client: FlaskClient
    ) -> None:
        UserFactory(email="ada@example.org")
        response = _post(
            client,
            "/account/login",
            {"email": "ada@example.org", "password": DEFAULT_PASSWORD},
            _random_ip(),
        )
        # Limits fail open: the login goes through instead of a 500 page.
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/account/")


class TestRateLimitStorageDownFallsBackToMemory:
    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        return {
            "RATELIMIT_STORAGE_URL": f"redis://127.0.0.1:{port}/0",
            "LOGIN_RATE_LIMIT": "2/minute",
        }

    def test_limits_still_apply_per_process_while_redis_is_down(
        self, app: Flask, client: FlaskClient
    ) -> None:
        ip = _random_ip()
        wrong = {"email": "nobody@example.org", "password": "guess guess guess"}
        codes = [_post(client, "/account/login", wrong, ip).status_code for _ in range(4)]
        assert codes == [400, 400, 429, 429]


class TestCsrf:
    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        return {"WTF_CSRF_ENABLED": True}

    def test_login_without_token_is_refused(self, app: Flask, client: FlaskClient) -> None:
        UserFactory(email="ada@example.org")
        response = client.post(
            "/account/login", data={"email": "ada@example.org", "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 400
        assert "The CSRF token is missing." in response.get_data(as_text=True)
        with client.session_transaction() as session:
            assert "_user_id" not in session

    def test_login_with_token_from_the_form_works(self, app: Flask, client: FlaskClient) -> None:
        UserFactory(email="ada@example.org")
        page = client.get("/account/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post(
            "/account/login",
            data={"email": "ada@example.org", "password": DEFAULT_PASSWORD, "csrf_token": token},
        )
        assert (response.status_code, response.headers["Location"]) == (302, "/account/")

    def test_logout_without_token_keeps_the_session(self, app: Flask, client: FlaskClient) -> None:
        login(client, UserFactory())
        assert client.post("/account/logout").status_code == 400
        assert client.get("/account/").status_code == 200

    def test_forged_token_is_refused_on_password_change(
        self, app: Flask, client: FlaskClient
    ) -> None:
        login(client, UserFactory())
        assert client.get("/account/password").status_code == 200  # the session gets its token
        response = client.post(
            "/account/password",
            data={
                "current_password": DEFAULT_PASSWORD,
                "password": "another long password",
                "password_repeat": "another long password",
                "csrf_token": "forged",
            },
        )
        assert response.status_code == 400
        assert "The CSRF token is invalid." in response.get_data(as_text=True)


class TestSecureCookies:
    @pytest.fixture
    def app_config(self) -> dict[str, object]:
        return {"SESSION_COOKIE_SECURE": True}

    def test_session_cookie_is_secure_httponly_lax(self, app: Flask, client: FlaskClient) -> None:
        UserFactory(email="ada@example.org")
        response = client.post(
            "/account/login", data={"email": "ada@example.org", "password": DEFAULT_PASSWORD}
        )
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("session=")
        assert "; Secure" in cookie
        assert "; HttpOnly" in cookie
        assert "; SameSite=Lax" in cookie


def test_plain_http_development_cookie_is_not_secure(app: Flask, client: FlaskClient) -> None:
    UserFactory(email="ada@example.org")
    response = client.post(
        "/account/login", data={"email": "ada@example.org", "password": DEFAULT_PASSWORD}
    )
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/account/login", 200),
        ("/account/signup", 200),
        ("/account/reset", 200),
        ("/account/confirm/x", 400),
        ("/account/reset/x", 400),
    ],
)
def test_account_pages_send_security_headers_and_no_inline_code(
    app: Flask, client: FlaskClient, path: str, status: int
) -> None:
    response = client.get(path)
    assert response.status_code == status
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    html = response.get_data(as_text=True)
    assert re.search(r"<script(?![^>]*\ssrc=)", html) is None
    assert " style=" not in html
    assert "<style" not in html
