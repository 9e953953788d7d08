"""The same compose.yaml under Compose v2: start on empty volumes, serve, run a command, remove.

The full journey runs under docker-compose 1.29 (test_stack.py), the Compose these machines
have; this checks that v2 accepts and runs the same file.
"""

from __future__ import annotations

import json
import os
import urllib.request

import pytest

from tests.container import docker
from tests.container.support import BuiltImage, require_or_skip
from tests.container.test_stack import free_port, write_env

pytestmark = pytest.mark.container


def test_compose_v2_starts_the_stack_and_runs_create_admin(built_image: BuiltImage) -> None:
    cli = docker.compose_v2_cli()
    if cli is None:
        require_or_skip("no Compose v2 (set PODIUM_TEST_COMPOSE_V2; make test-container does it)")
    web_port, mail_port = free_port(), free_port()
    write_env(built_image.project, built_image.tag, web_port, mail_port)
    compose = docker.Compose(built_image.project, f"podiumv2{os.getpid()}", cli=cli)
    try:
        compose.run("up", "--detach", "--no-build", "--wait", timeout=300)
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/readyz", timeout=10) as answer:
            assert (answer.status, json.load(answer)) == (200, {"status": "ok"})
        made = compose.run(
            "run", "--rm", "-T", "web", "podium", "create-admin",
            "--email", "admin@example.org", "--password-file", "-",
            input_text="compose-v2-admin-password\n",
        )  # fmt: skip
        assert made.stdout.strip().splitlines()[-1] == "Created administrator admin@example.org"
    finally:
        compose.run("down", "--volumes", "--remove-orphans", "--timeout", "5", check=False)
