"""A Podium server run as in production, for browser tests: gunicorn on 127.0.0.1.

The server gets its own instance folder (SQLite file database, uploads, logs), the production
environment with a freshly generated secret key, plain-HTTP cookies (the browser talks to
127.0.0.1 without TLS) and no SMTP host, so every mail stays in the outbox where the tests read
it back through the ``podium`` command.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

BIN = Path(sys.executable).parent
START_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class LiveServer:
    """A running Podium: ``url`` has no trailing slash; ``env`` runs the CLI on its database;
    ``backend`` is ``sqlite`` or ``postgresql``."""

    url: str
    instance_path: Path
    env: dict[str, str]
    log_path: Path
    backend: str

    def cli(self, *args: str, input_text: str | None = None) -> str:
        """Run ``podium <args>`` against this server's configuration; return its stdout.

        Raises:
            AssertionError: the command failed; the message holds its output.
        """
        result = subprocess.run(
            [str(BIN / "podium"), *args],
            env=self.env,
            input=input_text,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, (
            f"podium {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
        )
        return result.stdout

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of gunicorn's access and error log."""
        if not self.log_path.exists():
            return "(no server log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(instance_path: Path, port: int) -> dict[str, str]:
    """The process environment of a production-like Podium on ``port`` (no developer settings).

    PODIUM_* and secret variables of the surrounding shell are dropped so a developer's own
    configuration (or an SMTP host) never leaks into the run.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PODIUM_", "DATABASE_URL", "SECRET_KEY"))
    }
    env.update(
        {
            "PODIUM_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "PODIUM_INSTANCE_PATH": str(instance_path),
            "PODIUM_ENV_FILE": os.devnull,
            "PODIUM_BASE_URL": f"http://127.0.0.1:{port}",
            "PODIUM_SESSION_COOKIE_SECURE": "false",
            "PODIUM_SMTP_HOST": "",
            "PODIUM_LOG_LEVEL": "INFO",
        }
    )
    return env


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    last_error = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with status {process.returncode} before answering:\n"
                + log_path.read_text(errors="replace")[-4000:]
            )
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.1)
    raise RuntimeError(f"Podium did not become ready at {url}/readyz: {last_error}")


@contextmanager
def run_live_server(
    instance_path: Path, database_url: str | None = None, workers: int = 2
) -> Iterator[LiveServer]:
    """Migrate a fresh database, start gunicorn ``podium.wsgi:app``, stop it afterwards.

    Args:
        instance_path: an empty folder for uploads, ``gunicorn.log`` and the SQLite file.
        database_url: an empty database to use instead of SQLite (e.g. PostgreSQL).
        workers: gunicorn worker processes (2, so nothing relies on per-process state).

    Raises:
        RuntimeError: the server did not answer ``/readyz`` within 30 seconds.
    """
    port = free_port()
    env = production_env(instance_path, port)
    if database_url:
        env["DATABASE_URL"] = database_url
    log_path = instance_path / "gunicorn.log"
    server = LiveServer(
        url=f"http://127.0.0.1:{port}",
        instance_path=instance_path,
        env=env,
        log_path=log_path,
        backend=make_url(env.get("DATABASE_URL", "sqlite://")).get_backend_name(),
    )
    server.cli("db", "upgrade")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "podium.wsgi:app",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--access-logfile=-",
                "--error-logfile=-",
                "--timeout=60",
            ],
            env=env,
            cwd=instance_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_ready(server.url, process, log_path)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
