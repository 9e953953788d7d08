"""Integration: the worker delivers to MailDev (npm ``maildev``), read back through its REST API.

MailDev is installed on first use into ``.cache/maildev`` (git-ignored) with npm. Without
node/npm the test is skipped with the reason, unless ``PODIUM_REQUIRE_MAILDEV=1`` (CI) turns
the skip into a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.mail.sending import SmtpSettings
from podium.mail.worker import WorkerOptions, run_once
from tests.mail.helpers import all_mails
from tests.mail.smtp_server import free_port
from tests.support.factories import DEFAULT_PASSWORD

MAILDEV_VERSION = "2.2.1"  # 2.x serves the classic REST API (GET /email)
CACHE = Path(__file__).resolve().parents[2] / ".cache" / "maildev"
BINARY = CACHE / "node_modules" / ".bin" / "maildev"


def _unavailable(reason: str) -> None:
    if os.environ.get("PODIUM_REQUIRE_MAILDEV") == "1":
        pytest.fail(f"PODIUM_REQUIRE_MAILDEV=1 but MailDev cannot run: {reason}")
    pytest.skip(f"MailDev integration not tested: {reason}")


def _install() -> None:
    if BINARY.exists():
        return
    if shutil.which("node") is None or shutil.which("npm") is None:
        _unavailable("node and npm are not installed")
    CACHE.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(CACHE),
            f"maildev@{MAILDEV_VERSION}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0 or not BINARY.exists():
        _unavailable(f"npm install maildev@{MAILDEV_VERSION} failed: {result.stderr[-500:]}")


@dataclass
class MailDev:
    smtp_port: int
    web_port: int

    def emails(self) -> list[dict]:  # type: ignore[type-arg]
        with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}/email", timeout=5) as r:
            return json.load(r)


@pytest.fixture(scope="module")
def maildev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailDev]:
    _install()
    smtp_port, web_port = free_port(), free_port()
    log = (tmp_path_factory.mktemp("maildev") / "maildev.log").open("w")
    process = subprocess.Popen(
        [
            str(BINARY),
            "--smtp",
            str(smtp_port),
            "--web",
            str(web_port),
            "--ip",
            "127.0.0.1",
            "--web-ip",
            "127.0.0.1",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = MailDev(smtp_port, web_port)
    deadline = time.monotonic() + 60
    while True:
        try:
            server.emails()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.close()
                _unavailable("MailDev did not start (see its log)")
            time.sleep(0.2)
    try:
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_confirmation_mail_arrives_in_maildev_and_its_link_works(
    app: Flask, client: FlaskClient, maildev: MailDev
) -> None:
    address = f"maildev-{os.getpid()}-{time.monotonic_ns()}@example.org"
    client.post(
        "/account/signup",
        data={
            "name": "Mai Dev",
            "email": address,
            "password": DEFAULT_PASSWORD,
            "password_repeat": DEFAULT_PASSWORD,
        },
    )
    [queued] = all_mails()
    settings = SmtpSettings(
        host="127.0.0.1", port=maildev.smtp_port, timeout=10, sender="Podium <podium@example.org>"
    )
    result = run_once(settings=settings, options=WorkerOptions(), worker="maildev-test")
    assert (result.sent, result.server_error) == (1, None)

    [received] = [e for e in maildev.emails() if e["to"][0]["address"] == address]
    assert received["subject"] == "Confirm your e-mail address"
    assert received["from"] == [{"address": "podium@example.org", "name": "Podium"}]
    assert f"<{received['messageId']}>" == queued.message_id
    assert "http://localhost/account/confirm/" in received["text"]
    assert 'href="http://localhost/account/confirm/' in received["html"]
    path = received["text"].split("http://localhost", 1)[1].split()[0]
    assert client.post(path).headers["Location"] == "/account/login"
    login = client.post("/account/login", data={"email": address, "password": DEFAULT_PASSWORD})
    assert login.headers["Location"] == "/account/"
