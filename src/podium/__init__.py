"""Podium, a conference platform: call for proposals, review, schedule and public program.

Importing this package does nothing but define :func:`create_app`.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from flask import Flask

__all__ = ["create_app"]

# Each module exposes a blueprint named ``bp``; order matters only for URL precedence.
BLUEPRINT_MODULES: tuple[str, ...] = (
    "podium.health",
    "podium.home",
    "podium.accounts.views",
    "podium.accounts.aliases",
    "podium.mail.views",
    "podium.events.views",
    "podium.cfp.views",
    "podium.questions.views",
    "podium.exchange.views",
    "podium.review.views",
    "podium.schedule.views",
    "podium.availability.views",
    "podium.program.views",
    "podium.api.views",
    "podium.agenda.views",
    "podium.api.private_views",
    "podium.api.orga_views",
    "podium.webhooks.views",
    "podium.i18n.views",
)

# Each module exposes ``register_cli(cli_group)`` adding its commands to ``podium``.
CLI_MODULES: tuple[str, ...] = ("podium.exchange.cli", "podium.mail.cli")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build a configured Podium application.

    Args:
        config: highest-precedence settings by name (see :mod:`podium.config`), plus any Flask
            keys such as ``TESTING``; tests use it, deployments use the environment.

    Raises:
        podium.config.ConfigError: a setting is missing or invalid; its message is one line.
    """
    from podium.config import ensure_writable_dir, load_config

    loaded = load_config(config)
    ensure_writable_dir(
        loaded.instance_path,
        "PODIUM_INSTANCE_PATH",
        "point PODIUM_INSTANCE_PATH at a folder this user can write",
    )
    app = Flask(__name__, instance_path=str(loaded.instance_path), instance_relative_config=True)
    _apply_config(app, loaded, config or {})
    from podium import errors, security, templating

    # Before the blueprints: their <int:...> routes take the bounded converter set here.
    security.register_input_hygiene(app)
    _register_extensions(app)
    # Outermost, so the response cache below it sees the client's scheme and host.
    _trust_proxies(app, loaded.values["PROXY_HOPS"])
    from podium.i18n.setup import init_i18n

    init_i18n(app)
    _register_blueprints(app)
    errors.register_error_handlers(app)
    security.register_security_headers(app)
    templating.register_template_helpers(app)
    from podium.events.navigation import register_navigation

    register_navigation(app)
    return app


def _apply_config(app: Flask, loaded: Any, overrides: Mapping[str, Any]) -> None:
    values = loaded.values
    app.config.update(values)
    app.config["PODIUM_CONFIG"] = loaded
    app.config["DEBUG"] = False
    app.config["SQLALCHEMY_DATABASE_URI"] = values["DATABASE_URL"]
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(values["DATABASE_URL"])
    app.config["RATELIMIT_STORAGE_URI"] = values["RATELIMIT_STORAGE_URL"]
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    # A Redis outage must not lock everybody out of logging in, nor turn requests into 500s:
    # each worker then counts in its own memory (limits per process, not shared, but limits)
    # and goes back to Redis once it answers; what cannot be counted at all is let through.
    app.config["RATELIMIT_SWALLOW_ERRORS"] = True
    app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = True
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["REMEMBER_COOKIE_SECURE"] = values["SESSION_COOKIE_SECURE"]
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # tokens live as long as the session
    for key, value in overrides.items():
        if key not in values:
            app.config[key] = value


def _engine_options(database_url: str) -> dict[str, Any]:
    """Pool settings: a dead pooled connection is replaced (``pool_pre_ping``), and PostgreSQL
    connections give up after 5 s, so an unreachable server answers 503 long before gunicorn's
    30 s worker time-out (a host that drops packets would otherwise hang ~2 minutes)."""
    options: dict[str, Any] = {"pool_pre_ping": True}
    if database_url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": 5}
    return options


def _trust_proxies(app: Flask, hops: int) -> None:
    """Take the client's address, scheme and host from the last ``hops`` proxies' headers.

    Rate limits, logs and Flask-Login's session protection read ``request.remote_addr``; with
    ``hops`` 0 it stays the TCP peer, so a client cannot forge it with ``X-Forwarded-For``.
    """
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def _register_extensions(app: Flask) -> None:
    from podium import models  # noqa: F401  every table must be known before the first query
    from podium.database import install_reader, install_sqlite_pragmas
    from podium.extensions import csrf, db, limiter, login_manager

    db.init_app(app)
    with app.app_context():
        install_sqlite_pragmas(db.engine)
        install_reader(app, db.engine)
        _install_response_cache(app, db.engine)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    csrf.init_app(app)
    limiter.init_app(app)
    from podium.accounts.loader import load_user, localize_login_message

    login_manager.user_loader(load_user)
    login_manager.localize_callback = localize_login_message


def _install_response_cache(app: Flask, engine: Any) -> None:
    """Put :class:`~podium.program.response_cache.ResponseCache` in front of Flask, unless
    ``PROGRAM_RESPONSE_CACHE`` is off or the database cannot signal changes cheaply."""
    if not app.config["PROGRAM_RESPONSE_CACHE"]:
        return
    from podium.program.changes import change_signal
    from podium.program.response_cache import ResponseCache

    signal = change_signal(engine)
    if signal is not None:
        cache = ResponseCache(app.wsgi_app, signal)  # type: ignore[arg-type]
        app.wsgi_app = cache  # type: ignore[method-assign]
        app.extensions["podium_response_cache"] = cache


def _register_blueprints(app: Flask) -> None:
    for module_name in BLUEPRINT_MODULES:
        app.register_blueprint(import_module(module_name).bp)
