"""`podium check` and mail: a real SMTP session (STARTTLS negotiated), outbox counts, the
no-sender warning (pretalx#692: mail "queued for sending" that never leaves)."""

from __future__ import annotations

import os
import sqlite3
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from podium.cli import _mail_report, _smtp_problem
from podium.extensions import db
from podium.mail.models import OutboxMail
from tests.mail.smtp_server import free_port

TLS = Path(__file__).resolve().parents[1] / "fixtures" / "tls"
CERT, KEY = TLS / "smtp-test.crt", TLS / "smtp-test.key"


class _Sink:
    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        return "250 OK"


@pytest.fixture
def plain_server() -> Iterator[int]:
    """An SMTP server on 127.0.0.1 that offers no STARTTLS; yields its port."""
    controller = Controller(_Sink(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


@pytest.fixture
def starttls_server() -> Iterator[int]:
    """An SMTP server on 127.0.0.1 offering STARTTLS with the test certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERT, KEY)
    controller = Controller(_Sink(), hostname="127.0.0.1", port=free_port(), tls_context=context)
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


def _smtp(app: Flask, port: int, security: str) -> None:
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY=security)


def test_starttls_required_but_not_offered_names_security_setting(
    app: Flask, plain_server: int
) -> None:
    _smtp(app, plain_server, "starttls")
    assert _smtp_problem() == (
        f"mail: the server does not offer STARTTLS (SMTP server 127.0.0.1:{plain_server}); "
        "check PODIUM_SMTP_SECURITY (now 'starttls'; one of none, starttls, tls)"
    )


def test_plain_server_without_tls_setting_is_ok(app: Flask, plain_server: int) -> None:
    _smtp(app, plain_server, "none")
    assert _smtp_problem() is None


def test_starttls_with_untrusted_certificate_names_security_setting(
    app: Flask, starttls_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    _smtp(app, starttls_server, "starttls")
    problem = _smtp_problem()
    assert problem is not None
    assert problem.startswith("mail: TLS failed: CERTIFICATE_VERIFY_FAILED (SMTP server ")
    assert problem.endswith(
        "check PODIUM_SMTP_SECURITY (now 'starttls'; one of none, starttls, tls)"
    )
    assert "PODIUM_SMTP_HOST" not in problem


def test_starttls_negotiated_with_trusted_certificate_is_ok(
    app: Flask, starttls_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # OpenSSL reads SSL_CERT_FILE when the client builds its default context.
    monkeypatch.setenv("SSL_CERT_FILE", str(CERT))
    _smtp(app, starttls_server, "starttls")
    assert _smtp_problem() is None


def test_implicit_tls_against_plain_server_names_security_setting(
    app: Flask, plain_server: int
) -> None:
    _smtp(app, plain_server, "tls")
    app.config["SMTP_TIMEOUT"] = 3
    problem = _smtp_problem()
    assert problem is not None
    assert problem.startswith("mail: TLS failed: ")
    assert "check PODIUM_SMTP_SECURITY (now 'tls'; one of none, starttls, tls)" in problem


def test_unreachable_server_names_host_and_port(app: Flask) -> None:
    port = free_port()
    _smtp(app, port, "starttls")
    assert _smtp_problem() == (
        f"mail: cannot reach SMTP server 127.0.0.1:{port} (Connection refused); check "
        "PODIUM_SMTP_HOST and PODIUM_SMTP_PORT, or unset PODIUM_SMTP_HOST to keep mail in "
        "the outbox"
    )


def _mail(state: str, last_error: str = "") -> OutboxMail:
    return OutboxMail(
        recipients=["a@example.org"],
        subject="s",
        body_text="b",
        state=state,
        last_error=last_error,
    )


def test_mail_report_counts_and_warns_without_sender(app: Flask) -> None:
    db.session.add_all(
        [
            _mail("queued"),
            _mail("queued"),
            _mail("sending"),
            _mail("held"),
            _mail("sent"),
            _mail("failed", "SMTP server x:25 refused the mail: 550 old"),
            _mail("failed", "SMTP server x:25 refused the mail: 550 5.1.1 no such user"),
        ]
    )
    db.session.commit()
    app.config["SMTP_HOST"] = ""
    assert _mail_report() == [
        "mail: 3 queued, 1 held, 2 failed, 1 sent; last error: SMTP server x:25 refused the "
        "mail: 550 5.1.1 no such user",
        "WARN mail: 3 mail(s) waiting but no sender is configured; they will never leave the "
        "outbox: set PODIUM_SMTP_HOST (and PODIUM_SMTP_PORT, PODIUM_SMTP_SECURITY)",
    ]
    app.config["SMTP_HOST"] = "smtp.example.org"
    assert _mail_report() == [
        "mail: 3 queued, 1 held, 2 failed, 1 sent; last error: SMTP server x:25 refused the "
        "mail: 550 5.1.1 no such user"
    ]


def test_mail_report_held_only_is_no_warning(app: Flask) -> None:
    db.session.add(_mail("held"))
    db.session.commit()
    app.config["SMTP_HOST"] = ""
    assert _mail_report() == ["mail: 0 queued, 1 held, 0 failed, 0 sent"]


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DATABASE"))}
    environ["PODIUM_INSTANCE_PATH"] = str(tmp_path / "instance")
    environ["PODIUM_ENV_FILE"] = str(tmp_path / ".env")
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "podium", *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )


def test_check_command_prints_counts_and_warns_on_queued_mail_without_sender(
    tmp_path: Path,
) -> None:
    assert _run(["db", "upgrade"], tmp_path).returncode == 0
    (database,) = (tmp_path / "instance").glob("*.db")
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO outbox_mails (recipients, subject, body_text, body_html, kind, context,"
            " state, attempts, last_error, message_id, created_at, next_attempt_at, locked_by)"
            " VALUES ('[\"a@example.org\"]', 's', 'b', '', '', '{}', 'queued', 0, '', '',"
            " '2031-01-01 00:00:00', '2031-01-01 00:00:00', '')"
        )
    result = _run(["check"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "OK database, migrations, folders; no SMTP server: mail is kept in the outbox",
        "mail: 1 queued, 0 held, 0 failed, 0 sent",
    ]
    assert result.stderr.splitlines() == [
        "WARN mail: 1 mail(s) waiting but no sender is configured; they will never leave the "
        "outbox: set PODIUM_SMTP_HOST (and PODIUM_SMTP_PORT, PODIUM_SMTP_SECURITY)"
    ]
