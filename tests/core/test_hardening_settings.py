"""The hardening settings: HSTS in production, the per-recipient mail cap; each checked at start.

Attack for HSTS: a visitor who once reached the site over HTTPS types the bare name on a
hostile network; without HSTS the browser asks over plain HTTP first, where the answer can be
forged (SSL stripping).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from podium import create_app
from podium.config import ConfigError, load_config
from tests.conftest import base_test_config


def _environ(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "PODIUM_INSTANCE_PATH": str(tmp_path / "instance"),
        "PODIUM_ENV_FILE": str(tmp_path / ".env"),
        **extra,
    }


def _headers(tmp_path: Path, **settings: object) -> dict[str, str]:
    config = base_test_config(f"sqlite:///{tmp_path / 'podium.db'}", tmp_path / "instance")
    config.update(settings)
    app: Flask = create_app(config)
    response = app.test_client().get("/healthz")
    return {
        name: response.headers.get(name) for name in ("Strict-Transport-Security", "Cache-Control")
    }


def test_production_sends_hsts_for_a_year_by_default(tmp_path: Path) -> None:
    assert _headers(tmp_path, ENV="production") == {
        "Strict-Transport-Security": "max-age=31536000",
        "Cache-Control": "private, no-cache",
    }


def test_hsts_max_age_is_configurable_and_zero_turns_it_off(tmp_path: Path) -> None:
    short = _headers(tmp_path, ENV="production", HSTS_MAX_AGE="600")
    off = _headers(tmp_path, ENV="production", HSTS_MAX_AGE="0")
    assert (short["Strict-Transport-Security"], off["Strict-Transport-Security"]) == (
        "max-age=600",
        None,
    )


def test_development_sends_no_hsts(tmp_path: Path) -> None:
    # A developer's browser would otherwise insist on HTTPS for 127.0.0.1 for a year.
    assert _headers(tmp_path)["Strict-Transport-Security"] is None


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "PODIUM_HSTS_MAX_AGE",
            "-1",
            "configuration error: PODIUM_HSTS_MAX_AGE (from environment): '-1' must not be "
            "negative; set it like 31536000",
        ),
        (
            "PODIUM_HSTS_MAX_AGE",
            "a year",
            "configuration error: PODIUM_HSTS_MAX_AGE (from environment): 'a year' is not a "
            "whole number; set it like 31536000",
        ),
        (
            "PODIUM_MAIL_PER_RECIPIENT_PER_HOUR",
            "0",
            "configuration error: PODIUM_MAIL_PER_RECIPIENT_PER_HOUR (from environment): '0' "
            "must be at least 1; set it like 10",
        ),
    ],
)
def test_bad_values_stop_the_start_naming_the_setting(
    tmp_path: Path, variable: str, value: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(environ=_environ(tmp_path, **{variable: value}))
    assert str(raised.value) == expected


def test_defaults(tmp_path: Path) -> None:
    values = load_config(environ=_environ(tmp_path)).values
    assert (values["HSTS_MAX_AGE"], values["MAIL_PER_RECIPIENT_PER_HOUR"]) == (31536000, 10)
