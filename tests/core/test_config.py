"""Configuration: precedence of sources, typing, validation, one-line errors."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from podium import create_app
from podium.config import DEVELOPMENT_SECRET_KEY, ConfigError, ensure_writable_dir, load_config


def _environ(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "PODIUM_INSTANCE_PATH": str(tmp_path / "instance"),
        "PODIUM_ENV_FILE": str(tmp_path / ".env"),
        **extra,
    }


def _write_instance_config(tmp_path: Path, text: str) -> None:
    (tmp_path / "instance").mkdir(exist_ok=True)
    (tmp_path / "instance" / "config.py").write_text(text, encoding="utf-8")


def test_defaults_are_the_embedded_default(tmp_path: Path) -> None:
    loaded = load_config(environ=_environ(tmp_path))
    assert loaded.values["DATABASE_URL"] == f"sqlite:///{tmp_path / 'instance' / 'podium.db'}"
    assert loaded.values["SMTP_HOST"] == ""
    assert loaded.values["UPLOAD_FOLDER"] == str(tmp_path / "instance" / "uploads")
    assert loaded.sources["DATABASE_URL"] == "default"


def test_precedence_default_instance_dotenv_environment_file(tmp_path: Path) -> None:
    _write_instance_config(
        tmp_path,
        "MAIL_FROM = 'instance@example.org'\nSMTP_PORT = 2000\nSMTP_HOST = 'inst'\n"
        "SMTP_USER = 'inst-user'\nSMTP_PASSWORD = 'inst-pw'\n",
    )
    (tmp_path / ".env").write_text(
        "PODIUM_SMTP_PORT=3000\nPODIUM_SMTP_HOST=dotenv\nPODIUM_SMTP_USER=dotenv-user\n"
        "PODIUM_SMTP_PASSWORD=dotenv-pw\n",
        encoding="utf-8",
    )
    (tmp_path / "pw.txt").write_text("file-pw\n", encoding="utf-8")
    environ = _environ(
        tmp_path,
        PODIUM_SMTP_HOST="env",
        PODIUM_SMTP_USER="env-user",
        PODIUM_SMTP_PASSWORD="env-pw",
        PODIUM_SMTP_PASSWORD_FILE=str(tmp_path / "pw.txt"),
    )
    loaded = load_config({"SMTP_USER": "override-user"}, environ=environ)
    values, sources = loaded.values, loaded.sources
    assert values["MAIL_FROM"] == "instance@example.org"  # instance beats default
    assert values["SMTP_PORT"] == 3000  # .env beats instance, parsed to int
    assert sources["SMTP_PORT"] == str(tmp_path / ".env")
    assert values["SMTP_HOST"] == "env"  # environment beats .env
    assert sources["SMTP_HOST"] == "environment"
    assert values["SMTP_PASSWORD"] == "file-pw"  # *_FILE beats the plain variable
    assert sources["SMTP_PASSWORD"] == "PODIUM_SMTP_PASSWORD_FILE in environment"
    assert values["SMTP_USER"] == "override-user"  # create_app(config=...) beats all


def test_postgres_scheme_of_hosting_providers_is_accepted(tmp_path: Path) -> None:
    environ = _environ(tmp_path, DATABASE_URL="postgres://u:pw@db.example:5432/podium")
    loaded = load_config(environ=environ)
    assert loaded.values["DATABASE_URL"] == "postgresql+psycopg://u:pw@db.example:5432/podium"


def test_conventional_database_url_and_secret_key_variables(tmp_path: Path) -> None:
    environ = _environ(
        tmp_path,
        DATABASE_URL="postgresql://podium@db.example:5432/podium",
        SECRET_KEY="s" * 40,
    )
    loaded = load_config(environ=environ)
    assert loaded.values["DATABASE_URL"] == "postgresql+psycopg://podium@db.example:5432/podium"
    assert loaded.values["SECRET_KEY"] == "s" * 40


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "DATABASE_URL",
            "not a url",
            "configuration error: DATABASE_URL (from environment): "
            "'not a url' is not a database URL",
        ),
        ("DATABASE_URL", "mysql://x@y/z", "database 'mysql' is not supported"),
        (
            "PODIUM_SMTP_PORT",
            "twenty-five",
            "PODIUM_SMTP_PORT (from environment): 'twenty-five' is not a whole number",
        ),
        ("PODIUM_SMTP_SECURITY", "ssl", "'ssl' is not one of none, starttls, tls"),
        ("PODIUM_SESSION_COOKIE_SECURE", "maybe", "'maybe' is not a boolean"),
        ("PODIUM_ENV", "staging", "'staging' is not one of development, production"),
    ],
)
def test_bad_value_names_the_setting(tmp_path: Path, variable: str, value: str, expected: str):  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError) as raised:
        load_config(environ=_environ(tmp_path, **{variable: value}))
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message


def test_production_refuses_development_and_missing_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"SECRET_KEY .*the development key"):
        load_config(environ=_environ(tmp_path, PODIUM_ENV="production"))
    with pytest.raises(ConfigError, match=r"SECRET_KEY .*missing"):
        load_config(environ=_environ(tmp_path, PODIUM_ENV="production", SECRET_KEY=""))
    with pytest.raises(ConfigError, match="too short"):
        load_config(environ=_environ(tmp_path, PODIUM_ENV="production", SECRET_KEY="short"))
    loaded = load_config(environ=_environ(tmp_path, PODIUM_ENV="production", SECRET_KEY="k" * 32))
    assert loaded.values["SESSION_COOKIE_SECURE"] is True
    assert loaded.values["SECRET_KEY"] != DEVELOPMENT_SECRET_KEY


def test_empty_secret_key_in_development_falls_back_to_development_key(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SECRET_KEY=\n", encoding="utf-8")
    loaded = load_config(environ=_environ(tmp_path))
    assert loaded.values["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY


def test_unreadable_secret_file_names_the_file_variable(tmp_path: Path) -> None:
    environ = _environ(tmp_path, SECRET_KEY_FILE=str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match=r"SECRET_KEY_FILE .*cannot read"):
        load_config(environ=environ)


def test_broken_instance_config_is_reported(tmp_path: Path) -> None:
    _write_instance_config(tmp_path, "DATABASE_URL = 'sqlite://\n")
    with pytest.raises(ConfigError, match=r"instance config.py.*could not be read"):
        load_config(environ=_environ(tmp_path))


def test_create_app_refuses_unwritable_instance_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"PODIUM_INSTANCE_PATH: .* is not writable"):
        create_app({"INSTANCE_PATH": str(blocker / "instance")})


def test_masked_rows_hide_secrets(tmp_path: Path) -> None:
    environ = _environ(
        tmp_path, DATABASE_URL="postgresql+psycopg://u:hunter2@h/d", SECRET_KEY="x" * 30
    )
    rows = {name: (value, source) for name, value, source in load_config(environ=environ).masked()}
    assert rows["DATABASE_URL"][0] == "postgresql+psycopg://u:***@h/d"
    assert rows["SECRET_KEY"] == ("********", "environment")


def test_processes_starting_together_do_not_trip_over_the_write_check(tmp_path: Path) -> None:
    # The web workers and the mail worker share one instance folder and start at the same
    # moment (compose up, gunicorn pre-fork); one probe file for all let one process delete
    # another's probe, which then reported the folder as not writable and exited.
    folder = tmp_path / "shared-instance"
    failures: list[str] = []
    start = threading.Barrier(8)

    def start_process() -> None:
        start.wait()
        for _ in range(200):
            try:
                ensure_writable_dir(folder, "INSTANCE_PATH", "fix it")
            except ConfigError as exc:
                failures.append(str(exc))

    threads = [threading.Thread(target=start_process) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert list(folder.iterdir()) == []  # no probe left behind


def test_rate_limits_default_and_come_from_the_environment(tmp_path: Path) -> None:
    loaded = load_config(
        environ=_environ(tmp_path, PODIUM_LOGIN_RATE_LIMIT=" 20 per minute; 200/hour ")
    )
    assert loaded.values["LOGIN_RATE_LIMIT"] == "20 per minute; 200/hour"
    assert loaded.sources["LOGIN_RATE_LIMIT"] == "environment"
    assert loaded.values["RESET_RATE_LIMIT"] == "5 per minute;30 per hour"
    assert loaded.values["RESET_PER_ADDRESS_RATE_LIMIT"] == "3 per hour"
    assert loaded.values["SIGNUP_RATE_LIMIT"] == "5 per minute;30 per hour"


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("PODIUM_LOGIN_RATE_LIMIT", "ten per minute", "is not a rate limit"),
        ("PODIUM_RESET_RATE_LIMIT", "5 per fortnight", "is not a rate limit"),
        ("PODIUM_RESET_PER_ADDRESS_RATE_LIMIT", "", "is not a rate limit"),
        ("PODIUM_SIGNUP_RATE_LIMIT", "0 per minute", "would refuse every request"),
        ("PODIUM_RATELIMIT_STORAGE_URL", "redis//127.0.0.1", "is not a rate-limit storage"),
        ("PODIUM_RATELIMIT_STORAGE_URL", "async+memory://", "is not a rate-limit storage"),
    ],
)
def test_bad_rate_limit_setting_stops_create_app_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, problem: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    message = str(caught.value)
    assert message.startswith(f"configuration error: {variable} (from environment): ")
    assert problem in message
    assert "\n" not in message


@pytest.mark.parametrize("value", ["", "cfp.example.org", "/podium", "ftp://x.org", "https://"])
def test_base_url_must_be_absolute_http(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match=r"PODIUM_BASE_URL.*not an absolute http\(s\) URL"):
        load_config(environ=_environ(tmp_path, PODIUM_BASE_URL=value))


def test_base_url_loses_its_trailing_slash(tmp_path: Path) -> None:
    loaded = load_config(environ=_environ(tmp_path, PODIUM_BASE_URL=" https://cfp.example.org/ "))
    assert loaded.values["BASE_URL"] == "https://cfp.example.org"
