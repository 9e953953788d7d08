"""Benchmark: the compose production layout (nginx proxy, 3 web replicas, Redis, PostgreSQL).

Brings up compose.yaml from a copy of this checkout with ``--scale web=3`` (image
PODIUM_IMAGE, default podium:local: ``docker compose build`` it first), imports FOSDEM 2025
(bundled tests/fixtures/schedules/xml/fosdem-2025.schedule.xml) and publishes it, then measures
with ``wrk -t2 -c16`` (the issue's method), side by side for the same bytes:

- static: a separate nginx (the same stand-in image) serving the responses saved as files;
- proxy: through the stack's proxy and its per-release cache (anonymous, no cookie);
- gunicorn: straight to one web replica (its 2 sync workers), no proxy;

for the FOSDEM grid (first day), a session page, and schedule.xml gzipped and plain. Then it
loads all three replicas through the proxy (a session cookie bypasses the cache) and prints
each replica's and the mail worker's memory (``docker stats``, each process's RSS).
Everything runs on loopback and the stack's own containers; ``down -v`` at the end. Other
processes share the CPUs: compare the columns of one run, not figures of different runs.

    .venv/bin/python bench/bench_proxy.py [--seconds 5] [--image podium:local]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOSDEM = ROOT / "tests" / "fixtures" / "schedules" / "xml" / "fosdem-2025.schedule.xml"
SLUG = "fosdem-2025"
NGINX_IMAGE = "nginx:1.22-bookworm"
STATIC_CONF = """
server {
    listen 80;
    root /srv/bench;
    location ~ \\.gz$ { add_header Content-Encoding gzip; default_type application/xml; }
    location / { default_type text/html; }
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def fetch(url: str, gzip: bool = False) -> bytes:
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as r:
        return r.read()


def wrk(url: str, seconds: int, headers: tuple[str, ...] = ()) -> float:
    """Requests per second of ``wrk -t2 -c16`` (non-2xx answers make the figure void)."""
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s"]
    for header in headers:
        args += ["-H", header]
    out = run(*args, url, timeout=seconds + 60).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{url}: errors under load:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


class Stack:
    """compose.yaml from a copy of the checkout, 3 web replicas, on free loopback ports."""

    def __init__(self, folder: Path, image: str) -> None:
        self.folder = folder
        self.project = f"podiumbench{os.getpid()}"
        self.port = free_port()
        for name in ("compose.yaml", ".env.example"):
            shutil.copy2(ROOT / name, folder / name)
        shutil.copytree(
            ROOT / "docker",
            folder / "docker",
            ignore=shutil.ignore_patterns(".cache", "node_modules"),
        )
        (folder / "docker" / "secrets" / "secret_key").write_text(secrets.token_urlsafe(48))
        (folder / "docker" / "secrets" / "secret_key").chmod(0o644)
        (folder / ".env").write_text(
            f"PODIUM_IMAGE={image}\nSECRET_KEY_FILE=/run/secrets/podium/secret_key\n"
            f"POSTGRES_PASSWORD={secrets.token_hex(16)}\nPODIUM_HTTP_PORT={self.port}\n"
            f"PODIUM_HTTPS_PORT={free_port()}\nMAILDEV_WEB_PORT={free_port()}\n"
            f"PODIUM_BASE_URL=http://127.0.0.1:{self.port}\nPODIUM_SESSION_COOKIE_SECURE=false\n"
        )

    def compose(self, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
        cli = shutil.which("docker-compose") or "docker-compose"
        return run(cli, "-p", self.project, "-f", "compose.yaml", *args, cwd=self.folder, **kwargs)

    def up(self) -> None:
        self.compose("up", "-d", "--no-build", "--scale", "web=3", timeout=600)
        deadline = time.monotonic() + 300
        while True:
            try:
                if json.loads(fetch(f"{self.base}/readyz")) == {"status": "ok"}:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the stack did not become ready within 5 minutes")
            time.sleep(1)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def address(self, container: str) -> str:
        networks = json.loads(run("docker", "inspect", container).stdout)[0]["NetworkSettings"]
        return next(iter(networks["Networks"].values()))["IPAddress"]

    def down(self) -> None:
        self.compose("down", "--volumes", "--remove-orphans", "--timeout", "5", timeout=300)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--image", default=os.environ.get("PODIUM_IMAGE", "podium:local"))
    args = parser.parse_args()
    for tool in ("docker", "docker-compose", "wrk"):
        if shutil.which(tool) is None:
            print(f"bench_proxy: {tool} is not installed; skipped")
            return 0
    with tempfile.TemporaryDirectory(prefix="podium-bench-proxy-") as tmp:
        folder = Path(tmp)
        (folder / "stack").mkdir()
        stack = Stack(folder / "stack", args.image)
        static_name = f"podiumbenchstatic{os.getpid()}"
        try:
            return measure(stack, folder, static_name, args.seconds)
        finally:
            subprocess.run(["docker", "rm", "-f", static_name], capture_output=True, check=False)
            stack.down()


def measure(stack: Stack, folder: Path, static_name: str, seconds: int) -> int:
    started = time.monotonic()
    stack.up()
    print(f"stack up (proxy, 3 web, worker, db, redis, mail): {time.monotonic() - started:.0f} s")
    stack.compose(
        "exec", "-T", "web", "sh", "-c", "cat > /var/lib/podium/instance/fosdem.xml",
        input=FOSDEM.read_text(encoding="utf-8"),
    )  # fmt: skip
    out = stack.compose(
        "exec", "-T", "web", "podium", "import-schedule", "/var/lib/podium/instance/fosdem.xml",
        "--public", "--publish", timeout=600,
    ).stdout  # fmt: skip
    print("import:", out.strip().splitlines()[-1])
    base = f"{stack.base}/{SLUG}"
    grid_html = fetch(f"{base}/schedule/").decode()
    session = re.search(rf'href="(/{SLUG}/sessions/[^"?]+)"', grid_html).group(1)
    cases = [
        ("FOSDEM grid", f"/{SLUG}/schedule/", False, "grid.html"),
        ("session page", session, False, "session.html"),
        ("schedule.xml gzip", f"/{SLUG}/schedule.xml", True, "schedule.xml.gz"),
        ("schedule.xml plain", f"/{SLUG}/schedule.xml", False, "schedule.xml"),
    ]
    static_dir = folder / "static"
    static_dir.mkdir()
    for _, path, gzip, name in cases:
        (static_dir / name).write_bytes(fetch(stack.base + path, gzip))
    (folder / "static.conf").write_text(STATIC_CONF)
    static_port = free_port()
    run(
        "docker", "run", "-d", "--name", static_name, "-p", f"127.0.0.1:{static_port}:80",
        "-v", f"{static_dir}:/srv/bench:ro",
        "-v", f"{folder / 'static.conf'}:/etc/nginx/conf.d/default.conf:ro",
        NGINX_IMAGE,
    )  # fmt: skip
    time.sleep(1)
    replica = stack.compose("ps", "-q", "web").stdout.split()[0]
    direct = f"http://{stack.address(replica)}:8000"
    print(f"\nwrk -t2 -c{16} -d{seconds}s, requests/s (load average now: {os.getloadavg()[0]:.1f})")
    print(f"{'':22}{'bytes':>10}{'static nginx':>14}{'proxy cache':>13}{'gunicorn':>10}"
          f"{'proxy/static':>14}")  # fmt: skip
    for label, path, gzip, name in cases:
        headers = ("Accept-Encoding: gzip",) if gzip else ()
        size = (static_dir / name).stat().st_size
        static = wrk(f"http://127.0.0.1:{static_port}/{name}", seconds, headers)
        proxied = wrk(stack.base + path, seconds, headers)
        straight = wrk(direct + path, seconds, headers)
        print(f"{label:22}{size:>10}{static:>14.0f}{proxied:>13.0f}{straight:>10.0f}"
              f"{proxied / static:>13.0%}")  # fmt: skip
    # Every replica under load (the cookie makes the proxy pass each request on), then memory.
    for _, path, gzip, _name in cases:
        wrk(
            stack.base + path,
            2,
            ("Cookie: session=bench",) + (("Accept-Encoding: gzip",) if gzip else ()),
        )
    print("\nmemory after load: container total (docker stats), then each process's RSS")
    rss = (
        "for f in /proc/[0-9]*/status; do awk '/^Name:/{n=$2} /^Pid:/{p=$2} "
        '/^VmRSS:/{printf "%s/%s %.0f MB  ", n, p, $2/1024}\' "$f"; done'
    )
    containers = stack.compose("ps", "-q", "web").stdout.split()
    containers += stack.compose("ps", "-q", "worker").stdout.split()  # the mail worker
    for container in containers:
        stats = run(
            "docker", "stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}", container
        )
        processes = run("docker", "exec", container, "sh", "-c", rss).stdout
        print(f"  {stats.stdout.strip()}\n    {processes.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
