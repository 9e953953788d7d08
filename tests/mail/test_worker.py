"""``podium worker`` as operators run it: several processes, an SMTP server that goes away.

These start real worker processes against the test database (a SQLite file, and PostgreSQL
when configured) and a real SMTP server on 127.0.0.1.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from podium.extensions import db
from podium.mail.enums import MailState
from podium.mail.models import OutboxMail
from tests.conftest import TEST_SECRET_KEY
from tests.mail.helpers import all_mails, queue_test_mails
from tests.mail.smtp_server import RecordingSMTPServer

PODIUM = [sys.executable, "-m", "podium"]


def _env(app: Flask, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PODIUM_") and k not in {"DATABASE_URL", "SECRET_KEY"}
    }
    env.update(
        DATABASE_URL=app.config["DATABASE_URL"],
        SECRET_KEY=TEST_SECRET_KEY,
        PODIUM_INSTANCE_PATH=str(tmp_path / "worker-instance"),
        PODIUM_ENV_FILE=os.devnull,
        PODIUM_MAIL_FROM="Podium Test <podium@example.org>",
    )
    env.update(extra)
    return env


def _wait_for(
    condition: Callable[[], bool],
    timeout: float,
    what: str,
    details: Callable[[], str] = lambda: "",
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{details()}")


def _describe(processes: list[subprocess.Popen[bytes]], logs: list[Path]) -> str:
    """Exit codes and output of worker processes, for a failure message."""
    return "\n".join(
        f"--- worker pid {process.pid}, exit code {process.poll()}:\n"
        + log.read_text(encoding="utf-8")
        for process, log in zip(processes, logs, strict=True)
    )


def _count(state: str) -> int:
    db.session.rollback()  # a fresh snapshot: the workers write from other processes
    return db.session.scalar(
        select(func.count()).select_from(OutboxMail).where(OutboxMail.state == state)
    )


def test_two_workers_survive_smtp_restart_and_deliver_each_mail_once(
    app: Flask, tmp_path: Path
) -> None:
    first = RecordingSMTPServer()
    first.delay_seconds = 0.03  # slow enough that the restart happens mid-run
    first.start()
    port = first.port
    env = _env(app, tmp_path, PODIUM_SMTP_HOST="127.0.0.1", PODIUM_SMTP_PORT=str(port))
    args = [*PODIUM, "worker", "--interval", "0.1", "--batch-size", "3", "--retry-delay", "0.2"]
    logs = [tmp_path / f"worker{i}.log" for i in range(2)]
    log_files = [log.open("w") for log in logs]
    workers = [
        subprocess.Popen(args, env=env, stdout=file, stderr=subprocess.STDOUT) for file in log_files
    ]
    second = None
    try:
        # Queue only once both processes poll, so that both take part however slow they start.
        _wait_for(
            lambda: all("sending through" in log.read_text(encoding="utf-8") for log in logs),
            60,
            "both workers to start",
            lambda: _describe(workers, logs),
        )
        expected_ids = sorted(m.message_id for m in queue_test_mails(30))
        _wait_for(
            lambda: len(first.messages) >= 8,
            60,
            "the first mails",
            lambda: _describe(workers, logs),
        )
        first.stop()
        delivered_before_stop = len(first.messages)
        assert delivered_before_stop < 30
        _wait_for(
            lambda: any("connection refused" in m.last_error for m in all_mails()),
            30,
            "workers to notice the server is down",
        )
        time.sleep(0.5)  # several failed tries while the server is down
        second = RecordingSMTPServer(port=port).start()
        _wait_for(
            lambda: _count(MailState.SENT) == 30,
            60,
            "every mail to be sent",
            lambda: _describe(workers, logs),
        )
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        codes = [worker.wait(timeout=30) for worker in workers]
        for file in log_files:
            file.close()
        if second is not None:
            second.stop()
        first.stop()
    output = "\n".join(log.read_text(encoding="utf-8") for log in logs)
    assert codes == [0, 0], output
    received = first.received_ids() + (second.received_ids() if second else [])
    assert sorted(received) == expected_ids  # every mail exactly once
    assert len(first.messages) == delivered_before_stop
    assert f"cannot connect to SMTP server 127.0.0.1:{port}: connection refused" in output
    assert "Traceback" not in output
    mails = all_mails()
    # Both processes did part of the work: locked_by keeps "host:pid/claim" of the sender.
    sender_pids = {m.locked_by.split("/")[0].rpartition(":")[2] for m in mails}
    assert sender_pids == {str(worker.pid) for worker in workers}
    assert {m.state for m in mails} == {MailState.SENT}
    assert max(m.attempts for m in mails) >= 2
    assert all(m.last_error == "" for m in mails)


def test_worker_once_without_smtp_host_keeps_mail_and_says_so(app: Flask, tmp_path: Path) -> None:
    queue_test_mails(2)
    result = subprocess.run(
        [*PODIUM, "worker", "--once"],
        env=_env(app, tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == (
        "podium worker: PODIUM_SMTP_HOST is not set, so mail stays in the outbox (2 waiting); "
        "read it with `podium mail list` or at /mail/outbox"
    )
    assert [m.state for m in all_mails()] == [MailState.QUEUED, MailState.QUEUED]


def test_worker_once_sends_and_reports_counts(app: Flask, tmp_path: Path) -> None:
    queue_test_mails(3)
    with RecordingSMTPServer() as server:
        result = subprocess.run(
            [*PODIUM, "worker", "--once"],
            env=_env(
                app, tmp_path, PODIUM_SMTP_HOST="127.0.0.1", PODIUM_SMTP_PORT=str(server.port)
            ),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "podium worker: sent 3, retrying 0, failed 0"
    assert len(server.messages) == 3


def test_worker_once_with_smtp_down_reports_the_reason_in_words(app: Flask, tmp_path: Path) -> None:
    from tests.mail.smtp_server import free_port

    queue_test_mails(1)
    port = free_port()
    result = subprocess.run(
        [*PODIUM, "worker", "--once"],
        env=_env(app, tmp_path, PODIUM_SMTP_HOST="127.0.0.1", PODIUM_SMTP_PORT=str(port)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    reason = f"cannot connect to SMTP server 127.0.0.1:{port}: connection refused"
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"podium worker: sent 0, retrying 1, failed 0; {reason}"
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
    [mail] = all_mails()
    assert (mail.state, mail.last_error) == (MailState.QUEUED, reason)


def test_worker_loop_without_smtp_host_idles_until_stopped(app: Flask, tmp_path: Path) -> None:
    log = tmp_path / "idle.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [*PODIUM, "worker"], env=_env(app, tmp_path), stdout=output, stderr=output
        )
        try:
            _wait_for(lambda: "is not set" in log.read_text(encoding="utf-8"), 60, "the notice")
            time.sleep(0.5)
            assert process.poll() is None  # idling, so a supervisor does not restart it in a loop
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert process.returncode == 0, text
    assert "PODIUM_SMTP_HOST is not set, so mail stays in the outbox (0 waiting)" in text
