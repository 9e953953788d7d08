"""gunicorn with the image's settings (docker/gunicorn.conf.py) refuses to start, in one line,
on a wrong setting or an unreachable database, before it opens its port; good settings serve.

Each test starts a real gunicorn master in a subprocess, as the container's command does.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUNICORN_CONF = REPO / "docker" / "gunicorn.conf.py"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(tmp_path: Path, port: int, **settings: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "GUNICORN_"))}
    return {
        **keep,
        "PODIUM_ENV_FILE": os.devnull,
        "PODIUM_INSTANCE_PATH": str(tmp_path / "instance"),
        "PODIUM_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_CONTROL_SOCKET": str(tmp_path / "gunicorn.ctl"),
        **settings,
    }


def _gunicorn(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF), "podium.wsgi:app"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def _podium_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("podium:")]


def test_bad_setting_stops_gunicorn_with_one_line(tmp_path: Path) -> None:
    port = _free_port()
    server = _gunicorn(_environment(tmp_path, port, PODIUM_RATELIMIT_STORAGE_URL="bogus://x"))
    _, stderr = server.communicate(timeout=60)
    assert (server.returncode, _podium_lines(stderr)) == (
        2,
        [
            "podium: configuration error: PODIUM_RATELIMIT_STORAGE_URL (from environment): "
            "'bogus://x' is not a rate-limit storage (memory://, redis://, rediss://, "
            "redis+sentinel://, memcached:// or mongodb://); set it like redis://127.0.0.1:6379/0"
        ],
    )
    assert "Booting worker" not in stderr
    assert _refused(port)


def test_unreachable_database_stops_gunicorn_with_one_line(tmp_path: Path) -> None:
    port, closed = _free_port(), _free_port()
    url = f"postgresql+psycopg://podium:secret@127.0.0.1:{closed}/podium"
    server = _gunicorn(_environment(tmp_path, port, DATABASE_URL=url))
    _, stderr = server.communicate(timeout=60)
    lines = _podium_lines(stderr)
    assert (server.returncode, len(lines)) == (2, 1)
    prefix = (
        "podium: configuration error: DATABASE_URL (from environment): cannot connect to the "
        'database (connection failed: connection to server at "127.0.0.1", port '
        f"{closed} failed: Connection refused"
    )
    suffix = "; check host, port, user and that the server runs; `podium check` tells more"
    assert (lines[0].startswith(prefix), lines[0].endswith(suffix)) == (True, True)
    assert "Booting worker" not in stderr
    assert _refused(port)


def test_good_settings_start_and_serve(tmp_path: Path) -> None:
    port = _free_port()
    server = _gunicorn(_environment(tmp_path, port))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert (r.status, r.read()) == (200, b'{"status":"ok"}\n')
                    break
            except OSError:
                assert server.poll() is None, server.communicate()[1][-3000:]
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.2)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert _podium_lines(stderr) == []
