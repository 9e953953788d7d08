"""Podium's settings: what they are, where they come from, and how they are checked.

Sources, lowest to highest precedence (each later one wins):

1. built-in defaults (the embedded default: SQLite in the instance folder, mail kept in the outbox);
2. ``config.py`` in the Flask instance folder (``PODIUM_INSTANCE_PATH``, default ``./instance``),
   a Python file of ``UPPER_CASE = value`` assignments using the setting names below;
3. a ``.env`` file (``PODIUM_ENV_FILE``, default ``./.env``), ``VARIABLE=value`` lines;
4. the process environment;
5. ``<VARIABLE>_FILE`` for secrets: the value is read from that file (Docker secrets);
6. the ``config`` mapping passed to :func:`podium.create_app` (tests).

Every value is parsed to its type and validated; the first problem raises :class:`ConfigError`
whose message is one line naming the setting, its source, what is wrong and how to fix it.
"""

from __future__ import annotations

import os
import runpy
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dotenv import dotenv_values
from limits import parse_many
from limits.storage import SCHEMES as STORAGE_SCHEMES
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-secret-key-change-me"  # noqa: S105  the known-bad value production refuses


class ConfigError(Exception):
    """A setting is missing or wrong; ``str(error)`` is the one line shown to the operator."""

    def __init__(self, setting: str, problem: str, fix: str, source: str | None = None) -> None:
        self.setting = setting
        self.problem = problem
        self.fix = fix
        self.source = source
        where = f" (from {source})" if source else ""
        super().__init__(f"configuration error: {setting}{where}: {problem}; {fix}")


def _parse_str(value: Any) -> str:
    return str(value).strip()


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"{value!r} is not a boolean")


def _parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None


def _parse_non_negative_int(value: Any) -> int:
    number = _parse_int(value)
    if number < 0:
        raise ValueError(f"{value!r} must not be negative")
    return number


def _parse_positive_int(value: Any) -> int:
    number = _parse_int(value)
    if number < 1:
        raise ValueError(f"{value!r} must be at least 1")
    return number


def _parse_database_url(value: Any) -> str:
    text = str(value).strip()
    try:
        url = make_url(text)
    except ArgumentError:
        raise ValueError(f"{text!r} is not a database URL") from None
    if url.drivername == "postgres":
        # Heroku-style hosts hand out postgres://; SQLAlchemy only knows postgresql://.
        url = url.set(drivername="postgresql")
    backend = url.get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise ValueError(f"database {backend!r} is not supported (use sqlite or postgresql)")
    if backend == "postgresql" and "+" not in url.drivername:
        # psycopg 3 is the only PostgreSQL driver we install; say so instead of an ImportError.
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _parse_base_url(value: Any) -> str:
    """An absolute ``http``/``https`` URL with a host, without a trailing slash."""
    text = str(value).strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        # Links in mail and exports are built on it; a relative or empty one breaks them all.
        raise ValueError(f"{text!r} is not an absolute http(s) URL such as https://cfp.example.org")
    if parts.query or parts.fragment:
        raise ValueError(f"{text!r} has a query or fragment; give only scheme, host and path")
    return text


def _parse_rate_limit(value: Any) -> str:
    """A Flask-Limiter limit such as ``10 per minute;100 per hour``, returned as given."""
    text = str(value).strip()
    try:
        limits = parse_many(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a rate limit in Flask-Limiter's syntax") from None
    if any(limit.amount < 1 for limit in limits):
        raise ValueError(f"{text!r} would refuse every request (each amount must be at least 1)")
    return text


MAX_PROXY_HOPS = 5


def _parse_proxy_hops(value: Any) -> int:
    """How many reverse proxies in front of Podium append to ``X-Forwarded-For``: 0 to 5."""
    hops = _parse_int(value)
    if not 0 <= hops <= MAX_PROXY_HOPS:
        # More than a handful of proxies is a misconfiguration, and a negative count is a typo.
        raise ValueError(f"{hops} is not between 0 and {MAX_PROXY_HOPS}")
    return hops


def _parse_ratelimit_storage(value: Any) -> str:
    """A rate-limit storage URL whose scheme the limits library knows (not an asyncio one)."""
    text = str(value).strip()
    # Only the scheme: building the storage here would start MemoryStorage's timer thread.
    scheme = urlsplit(text).scheme
    if scheme not in STORAGE_SCHEMES or scheme.startswith("async+"):
        raise ValueError(
            f"{text!r} is not a rate-limit storage (memory://, redis://, rediss://, "
            "redis+sentinel://, memcached:// or mongodb://)"
        )
    return text


@dataclass(frozen=True)
class Setting:
    """One setting: its name in Podium's config, its variable, type, default and help.

    ``name`` is the key in ``app.config`` and in the instance ``config.py``; ``env`` is the
    environment/.env variable; ``secret`` values may come from ``<env>_FILE`` and are masked
    by ``podium config``.
    """

    name: str
    env: str
    default: Any
    parse: Callable[[Any], Any]
    help: str
    example: str
    secret: bool = False
    choices: tuple[str, ...] = field(default=())


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "ENV",
        "PODIUM_ENV",
        "development",
        _parse_str,
        "development or production; production refuses the development secret key",
        "production",
        choices=("development", "production"),
    ),
    Setting(
        "SECRET_KEY",
        "SECRET_KEY",
        DEVELOPMENT_SECRET_KEY,
        _parse_str,
        "signs sessions, CSRF tokens and e-mail links; long and random in production",
        "output of: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
        secret=True,
    ),
    Setting(
        "DATABASE_URL",
        "DATABASE_URL",
        None,
        _parse_database_url,
        "SQLAlchemy URL; default SQLite file podium.db in the instance folder",
        "postgresql+psycopg://podium:secret@127.0.0.1:5432/podium",
        secret=True,
    ),
    Setting(
        "BASE_URL",
        "PODIUM_BASE_URL",
        "http://127.0.0.1:5000",
        _parse_base_url,
        "public URL of the site, used in e-mail links and exports",
        "https://cfp.example.org",
    ),
    Setting(
        "UPLOAD_FOLDER",
        "PODIUM_UPLOAD_FOLDER",
        None,
        _parse_str,
        "where avatars are stored; default uploads/ in the instance folder",
        "/var/lib/podium/uploads",
    ),
    Setting(
        "MIGRATIONS_DIR",
        "PODIUM_MIGRATIONS_DIR",
        None,
        _parse_str,
        "Alembic migrations folder; default the migrations/ folder shipped with Podium",
        "/app/migrations",
    ),
    Setting(
        "SMTP_HOST",
        "PODIUM_SMTP_HOST",
        "",
        _parse_str,
        "SMTP server; empty keeps mail in the outbox (read it with `podium mail list`)",
        "127.0.0.1",
    ),
    Setting("SMTP_PORT", "PODIUM_SMTP_PORT", 1025, _parse_int, "SMTP port", "587"),
    Setting(
        "SMTP_SECURITY",
        "PODIUM_SMTP_SECURITY",
        "none",
        _parse_str,
        "none, starttls or tls",
        "starttls",
        choices=("none", "starttls", "tls"),
    ),
    Setting(
        "SMTP_USER", "PODIUM_SMTP_USER", "", _parse_str, "SMTP user name, empty for none", "podium"
    ),
    Setting(
        "SMTP_PASSWORD",
        "PODIUM_SMTP_PASSWORD",
        "",
        _parse_str,
        "SMTP password",
        "(a secret)",
        secret=True,
    ),
    Setting(
        "SMTP_TIMEOUT",
        "PODIUM_SMTP_TIMEOUT",
        10,
        _parse_int,
        "seconds to wait for the SMTP server",
        "10",
    ),
    Setting(
        "MAIL_FROM",
        "PODIUM_MAIL_FROM",
        "Podium <podium@localhost>",
        _parse_str,
        "sender address of every mail",
        "Conference <cfp@example.org>",
    ),
    Setting(
        "SESSION_COOKIE_SECURE",
        "PODIUM_SESSION_COOKIE_SECURE",
        None,
        _parse_bool,
        "send cookies over HTTPS only; default on in production, off in development",
        "true",
    ),
    Setting(
        "HSTS_MAX_AGE",
        "PODIUM_HSTS_MAX_AGE",
        31536000,
        _parse_non_negative_int,
        "production only: seconds browsers must use HTTPS for this site (HSTS); 0 sends none",
        "31536000",
    ),
    Setting(
        "PROGRAM_RESPONSE_CACHE",
        "PODIUM_PROGRAM_RESPONSE_CACHE",
        True,
        _parse_bool,
        "replay repeated anonymous requests for the public program from memory in each web "
        "process until the event or its releases change",
        "false",
    ),
    Setting(
        "RATELIMIT_STORAGE_URL",
        "PODIUM_RATELIMIT_STORAGE_URL",
        "memory://",
        _parse_ratelimit_storage,
        "where rate-limit counters live; Redis to share them between workers",
        "redis://127.0.0.1:6379/0",
    ),
    Setting(
        "PROXY_HOPS",
        "PODIUM_PROXY_HOPS",
        0,
        _parse_proxy_hops,
        "trusted reverse proxies in front of Podium; their X-Forwarded-For/-Proto/-Host give "
        "the client address, scheme and host (0: the TCP peer is the client, headers ignored)",
        "1",
    ),
    Setting(
        "LOGIN_RATE_LIMIT",
        "PODIUM_LOGIN_RATE_LIMIT",
        "10 per minute;100 per hour",
        _parse_rate_limit,
        "login attempts (form posts) allowed per client address",
        "20 per minute;200 per hour",
    ),
    Setting(
        "RESET_RATE_LIMIT",
        "PODIUM_RESET_RATE_LIMIT",
        "5 per minute;30 per hour",
        _parse_rate_limit,
        "password-reset requests allowed per client address",
        "5 per minute;30 per hour",
    ),
    Setting(
        "RESET_PER_ADDRESS_RATE_LIMIT",
        "PODIUM_RESET_PER_ADDRESS_RATE_LIMIT",
        "3 per hour",
        _parse_rate_limit,
        "password-reset mails to one e-mail address, from any client",
        "3 per hour",
    ),
    Setting(
        "SIGNUP_RATE_LIMIT",
        "PODIUM_SIGNUP_RATE_LIMIT",
        "5 per minute;30 per hour",
        _parse_rate_limit,
        "sign-ups allowed per client address",
        "5 per minute;30 per hour",
    ),
    Setting(
        "MAIL_PER_RECIPIENT_PER_HOUR",
        "PODIUM_MAIL_PER_RECIPIENT_PER_HOUR",
        10,
        _parse_positive_int,
        "mails one address may receive per clock hour (organizers' mails to speakers excepted)",
        "10",
    ),
    Setting(
        "WEBHOOKS_ALLOW_PRIVATE",
        "PODIUM_WEBHOOKS_ALLOW_PRIVATE",
        False,
        _parse_bool,
        "let webhooks reach loopback, private and link-local addresses and plain http "
        "(local development only: it opens the operator's network to organizers' URLs)",
        "false",
    ),
    Setting(
        "LOG_LEVEL",
        "PODIUM_LOG_LEVEL",
        "INFO",
        _parse_str,
        "logging level",
        "DEBUG",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
    ),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass
class LoadedConfig:
    """The effective settings (``values``) and where each came from (``sources``)."""

    values: dict[str, Any]
    sources: dict[str, str]
    instance_path: Path

    def masked(self) -> list[tuple[str, str, str]]:
        """Rows ``(setting, shown value, source)`` with secrets masked, for ``podium config``."""
        rows = []
        for setting in SETTINGS:
            value = self.values[setting.name]
            shown = _mask(setting, value)
            rows.append((setting.name, shown, self.sources[setting.name]))
        return rows


def _mask(setting: Setting, value: Any) -> str:
    if value in (None, ""):
        return "" if value == "" else "(unset)"
    if setting.name == "DATABASE_URL":
        return make_url(value).render_as_string(hide_password=True)
    if setting.secret:
        return "********"
    return str(value)


def resolve_instance_path(environ: Mapping[str, str] | None = None) -> Path:
    """Return the absolute instance folder: ``PODIUM_INSTANCE_PATH`` or ``./instance``."""
    environ = os.environ if environ is None else environ
    raw = environ.get("PODIUM_INSTANCE_PATH") or "instance"
    return Path(raw).expanduser().resolve()


def _read_instance_file(instance_path: Path) -> dict[str, Any]:
    path = instance_path / "config.py"
    if not path.is_file():
        return {}
    try:
        namespace = runpy.run_path(str(path))
    except Exception as exc:  # any error in the operator's file is reported, not raised raw
        raise ConfigError(
            "instance config.py",
            f"{path} could not be read ({type(exc).__name__}: {exc})",
            "fix the Python syntax in that file or remove it",
        ) from exc
    return {k: v for k, v in namespace.items() if k in SETTINGS_BY_NAME}


def _read_env_file(environ: Mapping[str, str]) -> tuple[dict[str, str], str]:
    path = Path(environ.get("PODIUM_ENV_FILE") or ".env")
    if not path.is_file():
        return {}, str(path)
    values = {k: v for k, v in dotenv_values(path).items() if v is not None}
    return values, str(path)


def _read_secret_file(setting: Setting, file_path: str, source: str) -> str:
    try:
        return Path(file_path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(
            setting.env + "_FILE",
            f"cannot read {file_path} ({exc.strerror})",
            "point it at a readable file holding only the value",
            source,
        ) from exc


def _raw_values(
    instance_path: Path, environ: Mapping[str, str], overrides: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    raw: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    sources = {s.name: "default" for s in SETTINGS}
    for name, value in _read_instance_file(instance_path).items():
        raw[name], sources[name] = value, f"{instance_path / 'config.py'}"
    env_file, env_file_path = _read_env_file(environ)
    for layer, label in ((env_file, env_file_path), (environ, "environment")):
        for setting in SETTINGS:
            if setting.env in layer:
                raw[setting.name], sources[setting.name] = layer[setting.env], label
            file_var = setting.env + "_FILE"
            if setting.secret and layer.get(file_var):
                source = f"{file_var} in {label}"
                raw[setting.name] = _read_secret_file(setting, layer[file_var], source)
                sources[setting.name] = source
    for name, value in overrides.items():
        if name in SETTINGS_BY_NAME:
            raw[name], sources[name] = value, "create_app(config=...)"
    return raw, sources


def _parse_all(raw: dict[str, Any], sources: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        value = raw[setting.name]
        if value is None:
            values[setting.name] = None
            continue
        try:
            parsed = setting.parse(value)
        except ValueError as exc:
            raise ConfigError(
                setting.env, str(exc), f"set it like {setting.example}", sources[setting.name]
            ) from None
        if setting.choices and parsed not in setting.choices:
            raise ConfigError(
                setting.env,
                f"{parsed!r} is not one of {', '.join(setting.choices)}",
                f"set it to one of {', '.join(setting.choices)}",
                sources[setting.name],
            )
        values[setting.name] = parsed
    return values


def _apply_derived_defaults(values: dict[str, Any], instance_path: Path) -> None:
    if not values["DATABASE_URL"]:
        values["DATABASE_URL"] = f"sqlite:///{instance_path / 'podium.db'}"
    if not values["UPLOAD_FOLDER"]:
        values["UPLOAD_FOLDER"] = str(instance_path / "uploads")
    if not values["MIGRATIONS_DIR"]:
        values["MIGRATIONS_DIR"] = str(default_migrations_dir())
    # An empty SECRET_KEY (what `cp .env.example .env` gives) would leave Flask without a key
    # and fail every form with a 500; in development it means "use the development key".
    if not values["SECRET_KEY"] and values["ENV"] != "production":
        values["SECRET_KEY"] = DEVELOPMENT_SECRET_KEY
    if values["SESSION_COOKIE_SECURE"] is None:
        values["SESSION_COOKIE_SECURE"] = values["ENV"] == "production"


def default_migrations_dir() -> Path:
    """The ``migrations/`` folder: shipped in the package, or at the repository root."""
    packaged = Path(__file__).resolve().parent / "migrations"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "migrations"


def _check_production(values: dict[str, Any], sources: dict[str, str]) -> None:
    if values["ENV"] != "production":
        return
    key = values["SECRET_KEY"]
    if not key or key == DEVELOPMENT_SECRET_KEY:
        raise ConfigError(
            "SECRET_KEY",
            "production needs a secret key and this is "
            + ("missing" if not key else "the development key"),
            "set SECRET_KEY (or SECRET_KEY_FILE) to a long random value",
            sources["SECRET_KEY"],
        )
    if len(key) < 24:
        raise ConfigError(
            "SECRET_KEY",
            f"only {len(key)} characters long, too short for production",
            "use at least 24 random characters",
            sources["SECRET_KEY"],
        )


def ensure_writable_dir(path: Path, setting: str, fix: str) -> None:
    """Create ``path`` if needed and prove it is writable.

    Raises:
        ConfigError: naming ``setting`` when the folder cannot be created or written.
    """
    try:
        path.mkdir(parents=True, exist_ok=True)
        # A probe of our own: web and mail workers share this folder and start together, and
        # with one fixed name one process could delete another's probe before it did.
        descriptor, probe = tempfile.mkstemp(prefix=".podium-write-test-", dir=path)
        os.close(descriptor)
        os.unlink(probe)
    except OSError as exc:
        raise ConfigError(setting, f"{path} is not writable ({exc.strerror})", fix) from None


def load_config(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> LoadedConfig:
    """Read every source in precedence order, parse and validate.

    Args:
        overrides: highest-precedence values by setting name (used by tests).
        environ: the environment to read (default ``os.environ``).

    Returns:
        A :class:`LoadedConfig` with parsed values and their sources.

    Raises:
        ConfigError: on the first missing or invalid setting.
    """
    environ = os.environ if environ is None else environ
    overrides = overrides or {}
    instance_path = Path(overrides.get("INSTANCE_PATH") or resolve_instance_path(environ))
    raw, sources = _raw_values(instance_path, environ, overrides)
    values = _parse_all(raw, sources)
    _apply_derived_defaults(values, instance_path)
    _check_production(values, sources)
    return LoadedConfig(values=values, sources=sources, instance_path=instance_path)
