"""The ``podium`` command as an operator runs it: one-line errors, exit codes, ``check``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

PODIUM = [sys.executable, "-m", "podium"]


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PODIUM_") and k not in {"DATABASE_URL", "SECRET_KEY"}
    }
    environ["PODIUM_INSTANCE_PATH"] = str(tmp_path / "instance")
    environ["PODIUM_ENV_FILE"] = str(tmp_path / ".env")
    environ.update(env)
    return subprocess.run(
        args, capture_output=True, text=True, env=environ, cwd=tmp_path, timeout=60, check=False
    )


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _single_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def test_malformed_database_url_stops_with_one_line(tmp_path: Path) -> None:
    result = _run([*PODIUM, "config"], tmp_path, DATABASE_URL="postgres//nope")
    assert result.returncode == 2
    assert _single_line(result.stderr) == (
        "podium: configuration error: DATABASE_URL (from environment): 'postgres//nope' is "
        "not a database URL; set it like postgresql+psycopg://podium:secret@127.0.0.1:5432/podium"
    )


def test_unreachable_database_stops_server_start_with_one_line(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://podium@127.0.0.1:{_closed_port()}/podium"
    # The check gunicorn's master runs before opening its port (docker/gunicorn.conf.py).
    result = _run([sys.executable, "-m", "podium.startup"], tmp_path, DATABASE_URL=url)
    assert result.returncode == 2
    line = _single_line(result.stderr)
    assert line.startswith(
        "podium: configuration error: DATABASE_URL (from environment): cannot connect to the "
        "database ("
    )
    assert "Traceback" not in result.stderr


def test_production_without_secret_key_stops_with_one_line(tmp_path: Path) -> None:
    result = _run([sys.executable, "-m", "podium.startup"], tmp_path, PODIUM_ENV="production")
    assert result.returncode == 2
    assert _single_line(result.stderr).startswith(
        "podium: configuration error: SECRET_KEY (from default): production needs a secret key"
    )


def test_unwritable_instance_folder_stops_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("x", encoding="utf-8")
    result = _run(
        [*PODIUM, "check"], tmp_path, PODIUM_INSTANCE_PATH=str(tmp_path / "blocker" / "instance")
    )
    assert result.returncode == 2
    assert "PODIUM_INSTANCE_PATH:" in _single_line(result.stderr)
    assert "is not writable" in result.stderr


def test_check_reports_each_failure(tmp_path: Path) -> None:
    (tmp_path / "uploads-blocker").write_text("x", encoding="utf-8")
    result = _run(
        [*PODIUM, "check"],
        tmp_path,
        PODIUM_SMTP_HOST="127.0.0.1",
        PODIUM_SMTP_PORT=str(_closed_port()),
        PODIUM_UPLOAD_FOLDER=str(tmp_path / "uploads-blocker" / "uploads"),
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "FAIL database: the database has no tables yet; run `podium db upgrade`"
    assert lines[1].startswith("FAIL folders: configuration error: PODIUM_UPLOAD_FOLDER:")
    assert lines[2].startswith("FAIL mail: cannot reach SMTP server 127.0.0.1:")
    assert "Connection refused" in lines[2]
    assert len(lines) == 3


def test_check_passes_after_upgrade_and_create_admin_works(tmp_path: Path) -> None:
    upgrade = _run([*PODIUM, "db", "upgrade"], tmp_path)
    assert upgrade.returncode == 0, upgrade.stderr
    check = _run([*PODIUM, "check"], tmp_path)
    assert check.returncode == 0, check.stderr
    assert check.stdout.splitlines() == [
        "OK database, migrations, folders; no SMTP server: mail is kept in the outbox",
        "mail: 0 queued, 0 held, 0 failed, 0 sent",  # dash: the outbox counts
    ]
    (tmp_path / "pw").write_text("a-long-enough-password\n", encoding="utf-8")
    admin = _run(
        [*PODIUM, "create-admin", "--email", "Root@Example.org", "--password-file", "pw"], tmp_path
    )
    assert admin.returncode == 0, admin.stderr
    assert admin.stdout.strip() == "Created administrator root@example.org"


def test_create_admin_rejects_short_password_naming_it(tmp_path: Path) -> None:
    assert _run([*PODIUM, "db", "upgrade"], tmp_path).returncode == 0
    (tmp_path / "pw").write_text("short\n", encoding="utf-8")
    result = _run(
        [*PODIUM, "create-admin", "--email", "root@example.org", "--password-file", "pw"], tmp_path
    )
    assert result.returncode == 2
    assert "Invalid value for password: must be at least 10 characters" in result.stderr


def test_config_command_shows_sources_and_masks_secrets(tmp_path: Path) -> None:
    result = _run(
        [*PODIUM, "config"], tmp_path, SECRET_KEY="super-secret-value", PODIUM_SMTP_PORT="2525"
    )
    assert result.returncode == 0, result.stderr
    assert "super-secret-value" not in result.stdout
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert lines["SECRET_KEY"].split() == ["SECRET_KEY", "********", "[environment]"]
    assert lines["SMTP_PORT"].split() == ["SMTP_PORT", "2525", "[environment]"]


def test_help_lists_operator_commands(tmp_path: Path) -> None:
    result = _run([*PODIUM, "--help"], tmp_path)
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line}
    assert {"run", "db", "config", "check", "create-admin", "demo"} <= listed


def test_config_reports_dotenv_values_as_coming_from_the_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PODIUM_BASE_URL=http://dotenv.example\n", encoding="utf-8")
    result = _run([*PODIUM, "config"], tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    assert ["BASE_URL", "http://dotenv.example", f"[{tmp_path / '.env'}]"] in rows


def test_dotenv_of_a_parent_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PODIUM_BASE_URL=http://parent.example\n", encoding="utf-8")
    (tmp_path / "site").mkdir()
    result = _run(
        [*PODIUM, "config"], tmp_path / "site", PODIUM_ENV_FILE=str(tmp_path / "site" / ".env")
    )
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    assert ["BASE_URL", "http://127.0.0.1:5000", "[default]"] in rows


def test_command_on_a_database_without_tables_says_run_db_upgrade(tmp_path: Path) -> None:
    result = _run([*PODIUM, "mail", "list"], tmp_path)
    assert result.returncode == 2
    assert _single_line(result.stderr) == (
        "podium: database: the database has no tables yet; run `podium db upgrade` "
        f"(DATABASE_URL is sqlite:///{tmp_path / 'instance' / 'podium.db'}, from default)"
    )


def test_command_on_an_unreachable_database_stops_with_one_line(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://podium:pw@127.0.0.1:{_closed_port()}/podium"
    result = _run([*PODIUM, "demo"], tmp_path, DATABASE_URL=url)
    assert result.returncode == 2
    line = _single_line(result.stderr)
    assert line.startswith("podium: database: cannot connect (")
    assert line.endswith(
        f"check DATABASE_URL (DATABASE_URL is {url.replace(':pw@', ':***@')}, from environment)"
    )


def test_run_points_default_base_url_at_the_served_port(tmp_path: Path) -> None:
    from podium import create_app
    from podium.cli import follow_served_address

    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    follow_served_address(app, host="127.0.0.1", port=5123)
    assert app.config["BASE_URL"] == "http://127.0.0.1:5123"
    follow_served_address(app, host="::", port=8000)
    assert app.config["BASE_URL"] == "http://127.0.0.1:8000"


def test_run_keeps_a_configured_base_url(tmp_path: Path) -> None:
    from podium import create_app
    from podium.cli import follow_served_address

    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "BASE_URL": "https://x.org"})
    follow_served_address(app, host="127.0.0.1", port=5123)
    assert app.config["BASE_URL"] == "https://x.org"


def test_gunicorn_worker_with_a_bad_setting_exits_with_boot_error(tmp_path: Path) -> None:
    # Status 3 is gunicorn's "worker failed to boot": the master stops instead of respawning.
    result = _run([sys.executable, "-c", "import podium.wsgi"], tmp_path, PODIUM_ENV="production")
    assert result.returncode == 3
    assert _single_line(result.stderr).startswith(
        "podium: configuration error: SECRET_KEY (from default): production needs a secret key"
    )


def test_command_messages_follow_the_posix_locale(tmp_path: Path) -> None:
    assert _run([*PODIUM, "db", "upgrade"], tmp_path).returncode == 0
    (tmp_path / "pw").write_text("short\n", encoding="utf-8")
    args = [*PODIUM, "create-admin", "--email", "root@example.org", "--password-file", "pw"]

    german = _run(args, tmp_path, LC_ALL="", LC_MESSAGES="", LANG="de_DE.UTF-8")
    english = _run(args, tmp_path, LC_ALL="", LC_MESSAGES="", LANG="C.UTF-8")

    assert "muss mindestens 10 Zeichen lang sein" in german.stderr
    assert "must be at least 10 characters" in english.stderr
