"""A missing secret stops the stack at the first Podium container, with one line saying why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.container import docker
from tests.container.support import BuiltImage, copy_project
from tests.container.test_stack import free_port, write_env

pytestmark = pytest.mark.container


def test_missing_secret_key_stops_migrate_and_keeps_web_down(
    built_image: BuiltImage, tmp_path: Path
) -> None:
    project = copy_project(tmp_path)
    write_env(project, built_image.tag, free_port(), free_port())
    env_file = project / ".env"
    lines = env_file.read_text(encoding="utf-8").splitlines()
    env_file.write_text(
        "\n".join(line for line in lines if not line.startswith("SECRET_KEY")) + "\n", "utf-8"
    )
    compose = docker.Compose(project, f"podiumcfg{os.getpid()}")
    try:
        up = compose.run("up", "--detach", "--no-build", check=False, timeout=300)
        assert up.returncode != 0
        assert "migrate" in up.stderr
        logs = compose.run("logs", "--no-color", "migrate").stdout
        assert (
            "podium: configuration error: SECRET_KEY (from environment): production needs a "
            "secret key and this is missing; set SECRET_KEY (or SECRET_KEY_FILE) to a long "
            "random value"
        ) in logs
        assert compose.run("ps", "-q", "web").stdout.strip() == ""
    finally:
        compose.run("down", "--volumes", "--remove-orphans", "--timeout", "5", check=False)
