"""The whole stack, really running: compose.yaml with the image built by the fixtures.

The stack (conftest.py) is shared with test_proxy.py, which runs first. Order matters in the
last tests only: they stop and start the stack, so they run last.
"""

from __future__ import annotations

import json
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.container import flows
from tests.container.support import FIGURES, Stack, free_port, write_env

__all__ = ["Stack", "free_port", "write_env"]  # imported from here by the other stack tests

pytestmark = pytest.mark.container

ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "container-admin-password-1"
SPEAKER_EMAIL = "speaker@example.org"
SPEAKER_PASSWORD = "container-speaker-password-1"
EVENT_SLUG = "containerconf"
PROPOSAL_TITLE = "Shipping conference software in containers"


def get_json(url: str) -> tuple[int, dict]:
    """(status, parsed body) of a GET; error statuses are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_web_answers_health_and_readiness(stack: Stack) -> None:
    assert get_json(stack.web_url + "/healthz") == (200, {"status": "ok"})
    assert get_json(stack.web_url + "/readyz") == (200, {"status": "ok"})


def test_ports_are_published_on_loopback_only(stack: Stack) -> None:
    assert stack.compose.published_port("proxy", 80) == ("127.0.0.1", stack.web_port)
    assert stack.compose.inspect("web")["NetworkSettings"]["Ports"] == {"8000/tcp": None}
    assert stack.compose.inspect("redis")["NetworkSettings"]["Ports"] == {"6379/tcp": None}
    assert stack.compose.published_port("mail", 1080) == ("127.0.0.1", stack.mail_port)
    assert stack.compose.inspect("db")["NetworkSettings"]["Ports"] == {"5432/tcp": None}


@pytest.mark.parametrize("service", ["web", "worker"])
def test_services_run_as_the_podium_user(stack: Stack, service: str) -> None:
    result = stack.compose.run("exec", "-T", service, "id", "-u")
    assert result.stdout.strip() == "10001"


@pytest.mark.parametrize(("service", "command"), [("web", "gunicorn"), ("worker", "podium worker")])
def test_long_running_services_strip_docstrings_and_the_cli_keeps_its_help(
    stack: Stack, service: str, command: str
) -> None:
    # gunicorn's processes (master and workers) and the mail worker got PYTHONOPTIMIZE=2 from
    # the entrypoint, and find bytecode of that level for Podium and its dependencies.
    script = (
        "for d in /proc/[0-9]*; do case $(tr '\\0' ' ' < $d/cmdline 2>/dev/null) in"
        f" *python*'{command}'*|'{command}'*) tr '\\0' '\\n' < $d/environ"
        " | grep '^PYTHONOPTIMIZE=' ;; esac; done;"
        " python -c 'import importlib.util as u, os;"
        " print(*(os.path.exists(u.cache_from_source(u.find_spec(m).origin, optimization=2))"
        ' for m in ("podium.program.views", "sqlalchemy.orm.session", "flask.app")))\''
    )
    lines = stack.compose.run("exec", "-T", service, "sh", "-c", script).stdout.split("\n")
    optimize = [line for line in lines if line.startswith("PYTHONOPTIMIZE")]
    expected = 1 + 2 if service == "web" else 1  # gunicorn: master and two workers
    assert optimize == ["PYTHONOPTIMIZE=2"] * expected, lines
    assert "True True True" in lines, lines
    # A command run beside them is not optimized: click's help texts are docstrings.
    help_text = stack.compose.run("exec", "-T", service, "podium", "import-schedule", "--help")
    assert "Import FILE" in help_text.stdout


def test_migrate_ran_once_and_exited_zero(stack: Stack) -> None:
    state = stack.compose.inspect("migrate")["State"]
    assert (state["Status"], state["ExitCode"]) == ("exited", 0)


def test_gunicorn_writes_the_access_log_to_stdout(stack: Stack) -> None:
    get_json(stack.web_url + "/healthz?from=access-log-test")
    time.sleep(0.5)
    logs = stack.compose.run("logs", "--no-color", "web").stdout
    assert '"GET /healthz?from=access-log-test HTTP/1.1" 200' in logs


def test_secret_key_is_read_from_its_file(stack: Stack) -> None:
    config = stack.compose.run("exec", "-T", "web", "podium", "config").stdout
    secret_line = next(line for line in config.splitlines() if line.startswith("SECRET_KEY "))
    assert secret_line.split() == [
        "SECRET_KEY", "********", "[SECRET_KEY_FILE", "in", "environment]"
    ]  # fmt: skip


def test_root_owned_uploads_volume_is_handed_to_podium(stack: Stack) -> None:
    owners = stack.compose.run(
        "exec", "-T", "web", "sh", "-c",
        'stat -c %U:%G "$PODIUM_UPLOAD_FOLDER" "$PODIUM_UPLOAD_FOLDER/left-by-root"'
        ' && touch "$PODIUM_UPLOAD_FOLDER/written-by-web" && echo writable',
    ).stdout.split()  # fmt: skip
    assert owners == ["podium:podium", "podium:podium", "writable"]
    migrate_log = stack.compose.run("logs", "--no-color", "migrate").stdout
    assert "giving /var/lib/podium/uploads to user podium (was uid 0)" in migrate_log


def create_admin(stack: Stack) -> str:
    """`compose run --rm web podium create-admin`, the password on standard input."""
    result = stack.compose.run(
        "run", "--rm", "-T", "web", "podium", "create-admin",
        "--email", ADMIN_EMAIL, "--password-file", "-",
        input_text=ADMIN_PASSWORD + "\n",
    )  # fmt: skip
    return result.stdout.strip().splitlines()[-1]


def test_create_admin_works_through_compose_run(stack: Stack) -> None:
    assert create_admin(stack) in {
        f"Created administrator {ADMIN_EMAIL}",
        f"Updated administrator {ADMIN_EMAIL}",
    }
    browser = flows.Browser(stack.web_url)
    page = flows.log_in(browser, email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    assert (page.status, page.url.startswith(stack.web_url + "/account")) == (200, True)
    assert "Log out" in page.text or "logout" in page.text


def test_proposal_survives_down_and_up(stack: Stack) -> None:
    create_admin(stack)
    organizer = flows.Browser(stack.web_url)
    flows.log_in(organizer, email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    created = flows.create_event(
        organizer, slug=EVENT_SLUG, name="Container Conference", time_zone="Europe/Brussels"
    )
    assert (created.status, created.url) == (200, f"{stack.web_url}/orga/{EVENT_SLUG}/")
    added = flows.add_session_type(organizer, slug=EVENT_SLUG, name="Talk", minutes=30)
    assert (added.status, "Talk" in added.text) == (200, True)

    browser = flows.Browser(stack.web_url)
    signed_up = flows.sign_up(
        browser, name="Ada Speaker", email=SPEAKER_EMAIL, password=SPEAKER_PASSWORD
    )
    assert (signed_up.status, signed_up.url) == (200, stack.web_url + flows.LOGIN_PATH)
    mail = flows.wait_for_mail(stack.maildev_url, to=SPEAKER_EMAIL)
    link = flows.confirmation_link(mail)
    assert link.startswith(stack.web_url + "/account/confirm/")
    confirmed = flows.confirm(browser, link)
    assert confirmed.status == 200
    assert "is confirmed" in confirmed.text
    logged_in = flows.log_in(browser, email=SPEAKER_EMAIL, password=SPEAKER_PASSWORD)
    assert logged_in.status == 200
    submitted = flows.submit_proposal(
        browser, slug=EVENT_SLUG, title=PROPOSAL_TITLE, abstract="Images, volumes and restarts."
    )
    assert (submitted.status, submitted.url) == (
        200,
        stack.web_url + flows.MY_SUBMISSIONS_PATH.format(slug=EVENT_SLUG),
    )
    assert PROPOSAL_TITLE in submitted.text

    stack.compose.run("down", "--timeout", "10")
    started = time.monotonic()
    stack.compose.run("up", "-d", "--no-build", timeout=300)
    stack.compose.wait_healthy(("db", "redis", "mail", "web", "proxy"))
    FIGURES["stack restart (down, up) until healthy"] = (time.monotonic() - started, "s")

    fresh = flows.Browser(stack.web_url)
    assert flows.log_in(fresh, email=SPEAKER_EMAIL, password=SPEAKER_PASSWORD).status == 200
    mine = flows.my_submissions(fresh, slug=EVENT_SLUG)
    assert (mine.status, PROPOSAL_TITLE in mine.text) == (200, True)


def test_backup_and_restore_as_documented(stack: Stack, tmp_path: Path) -> None:
    # The commands of docs/deployment.md, section 4, after the proposal test above.
    fresh = flows.Browser(stack.web_url)
    flows.log_in(fresh, email=SPEAKER_EMAIL, password=SPEAKER_PASSWORD)
    assert PROPOSAL_TITLE in flows.my_submissions(fresh, slug=EVENT_SLUG).text
    compose = stack.compose
    dump = compose.run_bytes(
        "exec", "-T", "db", "pg_dump", "-U", "podium", "-d", "podium", "--format=custom"
    )
    files = compose.run_bytes(
        "run", "--rm", "--no-deps", "-T", "--entrypoint", "tar", "web",
        "-C", "/var/lib/podium", "-czf", "-", "instance", "uploads",
    )  # fmt: skip
    archive = tmp_path / "files.tar.gz"
    archive.write_bytes(files)
    with tarfile.open(archive) as tar:
        assert "uploads/written-by-web" in tar.getnames()

    # The loss: every submission gone, and the uploads too.
    compose.run(
        "exec", "-T", "db", "psql", "-U", "podium", "-d", "podium", "-v", "ON_ERROR_STOP=1",
        "-c", "TRUNCATE submissions CASCADE",
    )  # fmt: skip
    compose.run("exec", "-T", "web", "sh", "-c", 'rm -f "$PODIUM_UPLOAD_FOLDER"/*')
    assert PROPOSAL_TITLE not in flows.my_submissions(fresh, slug=EVENT_SLUG).text

    compose.run("stop", "web", "worker")
    compose.run_bytes(
        "exec", "-T", "db", "pg_restore", "-U", "podium", "-d", "podium",
        "--clean", "--if-exists", "--no-owner",
        input_bytes=dump,
    )  # fmt: skip
    compose.run_bytes(
        "run", "--rm", "--no-deps", "-T", "--user", "0:0", "--entrypoint", "tar", "web",
        "-C", "/var/lib/podium", "-xzf", "-",
        input_bytes=files,
    )  # fmt: skip
    compose.run("up", "-d", "--no-build", timeout=300)
    compose.wait_healthy(("db", "redis", "mail", "web", "proxy"))

    restored = flows.Browser(stack.web_url)
    assert flows.log_in(restored, email=SPEAKER_EMAIL, password=SPEAKER_PASSWORD).status == 200
    assert PROPOSAL_TITLE in flows.my_submissions(restored, slug=EVENT_SLUG).text
    owner = compose.run(
        "exec", "-T", "web", "stat", "-c", "%U", "/var/lib/podium/uploads/written-by-web"
    )
    assert owner.stdout.strip() == "podium"
