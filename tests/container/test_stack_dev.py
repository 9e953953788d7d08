"""compose.override.yaml, the development settings: source bind-mounted, reload on change."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.container import docker
from tests.container.support import BuiltImage, copy_project
from tests.container.test_stack import free_port, write_env

pytestmark = pytest.mark.container

HEALTH_OK = 'jsonify(status="ok")'


def wait_for_health(url: str, expected: dict, timeout: float) -> dict:
    """Poll ``url`` until it answers ``expected``; return the last answer either way."""
    deadline = time.monotonic() + timeout
    last: dict = {}
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                last = json.load(answer)
        except (urllib.error.URLError, OSError, ValueError):
            last = {}
        if last == expected:
            break
        time.sleep(0.5)
    return last


def test_development_override_serves_the_mounted_source_and_reloads_it(
    built_image: BuiltImage, tmp_path: Path
) -> None:
    project = copy_project(tmp_path)
    web_port, mail_port = free_port(), free_port()
    write_env(project, built_image.tag, web_port, mail_port)
    files = ("compose.yaml", "compose.override.yaml")
    compose = docker.Compose(project, f"podiumdev{os.getpid()}", files=files)
    url = f"http://127.0.0.1:{web_port}/healthz"
    try:
        # The proxy, and so web and what web needs (the published port is the proxy's).
        compose.run("up", "--detach", "--no-build", "proxy", timeout=300)
        assert wait_for_health(url, {"status": "ok"}, timeout=120) == {"status": "ok"}
        settings = compose.run("exec", "-T", "web", "printenv", "PODIUM_ENV", "PYTHONPATH")
        assert settings.stdout.split() == ["development", "/app/src"]

        health = project / "src" / "podium" / "health.py"
        source = health.read_text(encoding="utf-8")
        # The first occurrence is /healthz's answer (the second is /readyz's).
        assert source.index(HEALTH_OK) < source.index("def readyz")
        health.write_text(source.replace(HEALTH_OK, 'jsonify(status="edited")', 1), "utf-8")
        assert wait_for_health(url, {"status": "edited"}, timeout=60) == {"status": "edited"}
    finally:
        compose.run("down", "--volumes", "--remove-orphans", "--timeout", "5", check=False)
