"""Fixtures for the container tests: a Docker engine, stand-in base images, a built image.

Every test here is marked ``container``. A test that needs the Docker engine skips, with the
reason shown in pytest's summary, when the engine (or docker-compose) cannot run, unless
``PODIUM_REQUIRE_CONTAINER=1`` is set: then it fails, so CI cannot pass without running them.
``make test-container`` installs and starts everything first (docker/ensure-docker.sh).

The image is built from a copy of the project in a temporary folder, so that the code-only
rebuild measurement can change a Python file without touching the working tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.container import docker
from tests.container.support import (
    FIGURES,
    REPO,
    BuiltImage,
    Stack,
    copy_project,
    free_port,
    make_root_owned_uploads_volume,
    require_or_skip,
    write_env,
)

# The production layout the stack runs in: this many web replicas behind the proxy.
WEB_REPLICAS = 3
STACK_SERVICES = ("db", "redis", "mail", "web", "proxy")

_STARTED = pytest.StashKey[float]()


@pytest.fixture(scope="session")
def docker_engine() -> None:
    """Skip (or fail) unless the Docker CLI, docker-compose and a running engine are there."""
    problem = docker.engine_problem()
    if problem:
        require_or_skip(problem)


@pytest.fixture(scope="session")
def standin_images(docker_engine: None) -> None:
    """Build (or find up to date) the offline stand-ins for the base images."""
    for tool in ("debootstrap", "npm"):
        if shutil.which(tool) is None:
            require_or_skip(f"{tool} is not installed (make test-container installs it)")
    started = time.monotonic()
    result = subprocess.run(
        [str(REPO / "docker" / "standins" / "build.sh")],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert result.returncode == 0, f"stand-in build failed:\n{result.stderr[-4000:]}"
    FIGURES["stand-in base images (build or cache check)"] = (time.monotonic() - started, "s")


@pytest.fixture(scope="session")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the project the container tests build and run."""
    return copy_project(tmp_path_factory.mktemp("podium-project"))


@pytest.fixture(scope="session")
def built_image(standin_images: None, project_copy: Path) -> Iterator[BuiltImage]:
    """Build the image cold (--no-cache), then once more after a code-only change; time both.

    The second build is the one the stack runs, so the change is a harmless comment.
    """
    tag = f"podium:container-test-{os.getpid()}"
    cold = docker.build(project_copy, tag, no_cache=True)
    assert cold.returncode == 0, f"cold build failed:\n{cold.output[-4000:]}"
    FIGURES["image cold build (classic builder, --no-cache)"] = (cold.seconds, "s")

    # Content, not only the modification time: the classic builder's cache ignores mtimes.
    module = project_copy / "src" / "podium" / "wsgi.py"
    module.write_text(
        module.read_text(encoding="utf-8") + "\n# container test: code-only change\n",
        encoding="utf-8",
    )
    rebuild = docker.build(project_copy, tag)
    assert rebuild.returncode == 0, f"code-only rebuild failed:\n{rebuild.output[-4000:]}"
    FIGURES["image rebuild after a code-only change"] = (rebuild.seconds, "s")

    inspect = json.loads(docker.run_docker(["image", "inspect", tag]).stdout)[0]
    size = int(inspect["Size"])
    FIGURES["image size"] = (size / 1e6, "MB")
    yield BuiltImage(
        tag=tag,
        project=project_copy,
        size_bytes=size,
        rebuild_output=rebuild.output,
        config=inspect["Config"],
    )
    docker.run_docker(["image", "rm", "--force", tag], check=False)


@pytest.fixture(scope="session")
def stack(built_image: BuiltImage) -> Iterator[Stack]:
    """compose.yaml (production settings) up with 3 web replicas and healthy; `down -v` after.

    One stack for the whole run (test_proxy.py, then test_stack.py): starting it is the
    expensive part of these tests.
    """
    name = f"podiumct{os.getpid()}"
    web_port, mail_port = free_port(), free_port()
    write_env(built_image.project, built_image.tag, web_port, mail_port)
    compose = docker.Compose(built_image.project, name)
    try:
        make_root_owned_uploads_volume(compose)
        started = time.monotonic()
        compose.run("up", "-d", "--no-build", "--scale", f"web={WEB_REPLICAS}", timeout=300)
        compose.wait_healthy(STACK_SERVICES)
        FIGURES["stack start on empty volumes until healthy"] = (time.monotonic() - started, "s")
        yield Stack(
            compose=compose,
            project=built_image.project,
            web_url=f"http://127.0.0.1:{web_port}",
            maildev_url=f"http://127.0.0.1:{mail_port}",
            web_port=web_port,
            mail_port=mail_port,
        )
    finally:
        compose.run("down", "--volumes", "--remove-orphans", "--timeout", "5", check=False)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Remember when the run started, for the total in the figures."""
    session.config.stash[_STARTED] = time.monotonic()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the measured figures, and keep them in test-artifacts/ for CI logs."""
    if not FIGURES:
        return
    started = terminalreporter.config.stash.get(_STARTED, None)
    if started is not None:
        FIGURES["whole container test run"] = (time.monotonic() - started, "s")
    terminalreporter.section("container figures")
    for name, (value, unit) in FIGURES.items():
        terminalreporter.write_line(f"{name}: {value:.1f} {unit}")
    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "container-figures.json").write_text(
        json.dumps({name: {"value": round(v, 2), "unit": u} for name, (v, u) in FIGURES.items()})
        + "\n",
        encoding="utf-8",
    )
