"""Shared pieces of the container tests: paths, figures, skip policy, project copies."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.container import docker

REPO = Path(__file__).resolve().parents[2]

# Figures printed at the end of the run (pytest_terminal_summary) and written to
# test-artifacts/container-figures.json: name -> (value, unit).
FIGURES: dict[str, tuple[float, str]] = {}


def require_or_skip(reason: str) -> None:
    """Skip the calling test with ``reason``, or fail it when PODIUM_REQUIRE_CONTAINER=1."""
    if os.environ.get("PODIUM_REQUIRE_CONTAINER") == "1":
        pytest.fail(f"PODIUM_REQUIRE_CONTAINER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def copy_project(destination: Path) -> Path:
    """Copy what the image and compose need (no .git, venv, caches) to ``destination``."""
    ignore = shutil.ignore_patterns(
        "__pycache__", "*.pyc", "*.egg-info", ".cache", "node_modules", ".pytest_cache"
    )
    for name in ("Dockerfile", ".dockerignore", "compose.yaml", "compose.override.yaml"):
        shutil.copy2(REPO / name, destination / name)
    for name in (".env.example", "pyproject.toml", "requirements.lock", "README.md"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, destination / name)
    for name in ("src", "migrations", "docker"):
        shutil.copytree(REPO / name, destination / name, ignore=ignore)
    return destination


@dataclass
class BuiltImage:
    """An image built from a project copy: its tag, the copy, and how the build went."""

    tag: str
    project: Path
    size_bytes: int
    rebuild_output: str = ""
    config: dict = field(default_factory=dict)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Stack:
    """A running Compose project and the loopback URLs of its published services.

    ``web_url`` is the proxy's published HTTP port: every request goes through nginx.
    """

    compose: docker.Compose
    project: Path
    web_url: str
    maildev_url: str
    web_port: int
    mail_port: int


def write_env(project: Path, image: str, web_port: int, mail_port: int) -> None:
    """The .env an operator would write, with the secret key in a file (SECRET_KEY_FILE)."""
    secret_file = project / "docker" / "secrets" / "secret_key"
    secret_file.write_text(secrets.token_urlsafe(48) + "\n", encoding="utf-8")
    secret_file.chmod(0o644)  # read by uid 10001 inside the container
    (project / ".env").write_text(
        "\n".join(
            [
                f"PODIUM_IMAGE={image}",
                "SECRET_KEY_FILE=/run/secrets/podium/secret_key",
                f"POSTGRES_PASSWORD={secrets.token_hex(16)}",
                f"PODIUM_HTTP_PORT={web_port}",
                # Free too: another stack of the run may be up at the same time.
                f"PODIUM_HTTPS_PORT={free_port()}",
                f"MAILDEV_WEB_PORT={mail_port}",
                f"PODIUM_BASE_URL=http://127.0.0.1:{web_port}",
                # The test talks plain HTTP; production keeps the secure default.
                "PODIUM_SESSION_COOKIE_SECURE=false",
            ]
        )
        + "\n",
        encoding="utf-8",
    )


def make_root_owned_uploads_volume(compose: docker.Compose) -> None:
    """Let compose create the uploads volume, then hand it to root with a file in it.

    Docker gives a volume the image folder's owner only while the volume is empty, so a
    non-empty root-owned volume stays root's: as if another (root) container had used it
    first. (``up --no-start`` would be the obvious way to create the volumes, but
    docker-compose 1.29 then waits forever for the health conditions of services it does
    not start.)
    """
    compose.run(
        "run", "--rm", "--no-deps", "--user", "0:0", "--entrypoint", "sh", "migrate", "-c",
        'touch "$PODIUM_UPLOAD_FOLDER/left-by-root" && chown -R 0:0 "$PODIUM_UPLOAD_FOLDER"'
        ' && chmod 0755 "$PODIUM_UPLOAD_FOLDER"',
    )  # fmt: skip
