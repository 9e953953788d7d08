"""Benchmark: the public program of FOSDEM 2025 (943 sessions, 40 rooms) under gunicorn.

Sets up a temporary SQLite database (migrations, ``podium import-schedule`` of the bundled
fosdem-2025.schedule.xml, one published release), starts gunicorn with 2 sync workers on a free
127.0.0.1 port, and measures requests per second and p50/p99 latency of the schedule page, a
session page and the XML, JSON and iCal exports, served from the per-release cache. A bare
Flask view returning the same bytes (bench/ceiling_app.py) gives the ceiling. Every URL is
measured plain and with ``Accept-Encoding: gzip`` (what browsers and schedule apps send).
Also prints the cold (uncached) render CPU time of every page and export, the SQL queries per
request, and the workers' resident memory after the load. gunicorn runs with
``PYTHONOPTIMIZE=2`` (-OO) as in the image; set ``PYTHONOPTIMIZE=0`` to measure without.
Other processes on the machine share the CPUs: check ``uptime`` and compare against the
ceiling rows, not absolute figures.
With ``--postgres URL`` the same release is also served from a scratch database on that
server (vacuumed first), every load row repeated for it, to compare the two databases.

Uses ``wrk`` when installed (``apt-get install wrk``), else a Python load loop (threads with
keep-alive ``http.client`` connections). Targets (see issue 6): >= 500 req/s from cache, cold
export render < 300 ms CPU, workers < 100 MB RSS.

    .venv/bin/python bench/bench_http.py [--seconds 5] [--connections 16] [--python-client]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--skip-cold]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from fosdem_bench import scratch_postgres_database

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
FOSDEM = ROOT / "tests" / "fixtures" / "schedules" / "xml" / "fosdem-2025.schedule.xml"
SLUG = "fosdem-2025"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(folder: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    env.update(
        {
            "PODIUM_INSTANCE_PATH": str(folder / "instance"),
            "DATABASE_URL": database_url or f"sqlite:///{folder / 'podium.db'}",
            "SECRET_KEY": secrets.token_urlsafe(32),
            "PODIUM_ENV_FILE": os.devnull,
            "PODIUM_BASE_URL": "http://127.0.0.1",
        }
    )
    return env


def prepare(folder: Path, env: dict[str, str]) -> None:
    """Migrate, import FOSDEM through the CLI and publish one release."""
    podium = str(VENV_BIN / "podium")
    run = {"env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([podium, "db", "upgrade"], **run)  # type: ignore[call-overload]
    started = time.perf_counter()
    out = subprocess.run([podium, "import-schedule", str(FOSDEM), "--public"], **run)  # type: ignore[call-overload]
    print(f"import: {time.perf_counter() - started:.1f} s  {out.stdout.strip()}")
    script = (
        "from podium import create_app\n"
        "from podium.events.models import Event\n"
        "from podium.extensions import db\n"
        "from podium.schedule.services import publish_release\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    event = db.session.query(Event).filter_by(slug={SLUG!r}).one()\n"
        "    release = publish_release(event=event, actor=None, comment='bench')\n"
        "    print(release.version, len(release.snapshot['sessions']))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], **run)  # type: ignore[call-overload]
    version, sessions = out.stdout.split()
    print(f"release {version} published with {sessions} sessions")


def cold_renders(env: dict[str, str], urls: dict[str, str]) -> None:
    """In-process: CPU time and SQL queries of each URL uncached, then cached."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        from sqlalchemy import event as sa_event

        from podium import create_app
        from podium.extensions import db

        app = create_app()
        with app.app_context():
            statements: list[str] = []
            sa_event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
            client = app.test_client()
            print("\ncold render (in-process, cache emptied before each):")
            print(f"  {'url':44} {'bytes':>9} {'CPU ms':>8} {'queries':>8} {'cached CPU ms':>14}")
            for name, url in urls.items():
                app.extensions.pop("podium_program_cache", None)
                statements.clear()
                cpu = time.process_time()
                response = client.get(url)
                cold = (time.process_time() - cpu) * 1000
                queries = len(statements)
                cpu = time.process_time()
                for _ in range(50):
                    client.get(url)
                warm = (time.process_time() - cpu) * 1000 / 50
                assert response.status_code == 200, (url, response.status_code)
                print(f"  {name:44} {len(response.data):9d} {cold:8.1f} {queries:8d} {warm:14.2f}")
    finally:
        os.environ.clear()
        os.environ.update(saved)


class Server:
    """A gunicorn process serving ``app`` with 2 sync workers on a free loopback port."""

    def __init__(self, app: str, env: dict[str, str], folder: Path) -> None:
        self.port = free_port()
        config = folder / f"gunicorn-{self.port}.conf.py"
        config.write_text(f"control_socket = {str(folder / f'ctl-{self.port}')!r}\n")
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--config",
                str(config),
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                app,
            ],
            # As the image runs its web server (docker/entrypoint.sh): docstrings and asserts
            # stripped, about 5.5 MB less per worker. PYTHONOPTIMIZE=0 measures without.
            env={**env, "PYTHONOPTIMIZE": os.environ.get("PYTHONOPTIMIZE", "2")},
            cwd=str(ROOT / "bench"),
            stdout=subprocess.DEVNULL,
            stderr=open(folder / f"gunicorn-{self.port}.log", "w"),  # noqa: SIM115  closed with the process
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn on port {self.port} did not start; see {folder}")

    def worker_rss_mb(self) -> list[float]:
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        sizes = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            if match:
                sizes.append(int(match.group(1)) / 1024)
        return sizes

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def load_wrk(
    url: str, seconds: int, connections: int, gzip: bool = False
) -> tuple[float, float, float, int]:
    """``(req/s, p50 ms, p99 ms, non-2xx/3xx count)`` measured by wrk."""
    header = ["-H", "Accept-Encoding: gzip"] if gzip else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *header, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _wrk_ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    p99 = _wrk_ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    if errors and "timeout" in errors.group(0) and not errors.group(0).endswith("timeout 0"):
        print(f"    wrk: {errors.group(0)}")
    return rate, p50, p99, int(bad.group(1)) if bad else 0


def _wrk_ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load_python(
    port: int, path: str, seconds: int, connections: int, gzip: bool = False
) -> tuple[float, float, float, int]:
    """The same figures from threads issuing GETs over keep-alive connections."""
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        mine: list[float] = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    failures[0] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                failures[0] += 1
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begin
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    return len(latencies) / elapsed, p50, p99, failures[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="load duration per URL")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also serve the same release from a fresh database on this PostgreSQL server",
    )
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold render table")
    args = parser.parse_args()
    use_wrk = not args.python_client and shutil.which("wrk") is not None

    folder = Path(tempfile.mkdtemp(prefix="podium-bench-http-"))
    env = environment(folder)
    servers: list[Server] = []
    scratch = contextlib.ExitStack()
    try:
        prepare(folder, env)
        podium = Server("podium.wsgi:app", env, folder)
        servers.append(podium)
        base = f"http://127.0.0.1:{podium.port}"
        schedule_page = _get(podium.port, f"/{SLUG}/schedule/")
        guid = re.search(rf"/{SLUG}/sessions/([0-9a-f-]{{36}})", schedule_page.decode()).group(1)  # type: ignore[union-attr]
        ref = re.search(rf'/{SLUG}/speakers/([^"?]+)"', schedule_page.decode()).group(1)  # type: ignore[union-attr]
        urls = {
            "schedule page (grid, day 1)": f"/{SLUG}/schedule/",
            "session page": f"/{SLUG}/sessions/{guid}",
            "schedule.xml": f"/{SLUG}/schedule.xml",
            "schedule.json": f"/{SLUG}/schedule.json",
            "schedule.ics": f"/{SLUG}/schedule.ics",
        }
        extra = {
            "schedule list": f"/{SLUG}/schedule/list",
            "grid, day 2, ?tz=Asia/Tokyo": f"/{SLUG}/schedule/?day=2025-02-02&tz=Asia/Tokyo",
            "speaker page": f"/{SLUG}/speakers/{ref}",
            "session .ics": f"/{SLUG}/sessions/{guid}.ics",
            "search ?q=rust": f"/{SLUG}/search?q=rust",
            "speakers index": f"/{SLUG}/speakers/",
            "speakers index ?q=an": f"/{SLUG}/speakers/?q=an",
            "tracks.css": f"/{SLUG}/tracks.css",
            "event page": f"/{SLUG}/",
            "releases": f"/{SLUG}/releases/",
            "API: sessions": f"/api/v1/events/{SLUG}/sessions",
            "API: speakers": f"/api/v1/events/{SLUG}/speakers",
        }
        if not args.skip_cold:
            cold_renders(env, {**urls, **extra})
        postgres = None
        if args.postgres:
            pg_url = scratch.enter_context(scratch_postgres_database(args.postgres))
            (folder / "pg").mkdir()
            pg_env = environment(folder / "pg", pg_url)
            prepare(folder / "pg", pg_env)
            _settle_postgres(pg_url)
            postgres = Server("podium.wsgi:app", pg_env, folder)
            servers.append(postgres)

        ceiling_dir = folder / "ceiling"
        ceiling_dir.mkdir()
        for name, path in (
            ("grid.html", urls["schedule page (grid, day 1)"]),
            ("session.html", urls["session page"]),
            ("schedule.xml", urls["schedule.xml"]),
        ):
            (ceiling_dir / name).write_bytes(_get(podium.port, path))
            packed = _get(podium.port, path, {"Accept-Encoding": "gzip"})
            (ceiling_dir / f"{name}.gz").write_bytes(packed)
        ceiling = Server("ceiling_app:app", {**env, "BENCH_CEILING_DIR": str(ceiling_dir)}, folder)
        servers.append(ceiling)

        tool = "wrk" if use_wrk else "python threads"
        print(
            f"\nload: gunicorn 2 sync workers, {args.connections} connections, "
            f"{args.seconds} s per URL, client {tool}, {os.cpu_count()} CPUs shared with the client"
        )
        print(f"  {'url':44} {'bytes':>9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        rows = [(name, podium, path, False) for name, path in urls.items()]
        rows.append(("ceiling: bare Flask, grid bytes", ceiling, "/grid.html", False))
        rows.append(("ceiling: bare Flask, session page bytes", ceiling, "/session.html", False))
        rows.append(("ceiling: bare Flask, schedule.xml bytes", ceiling, "/schedule.xml", False))
        rows += [(f"{name}, gzip", podium, path, True) for name, path in urls.items()]
        rows.append(("ceiling: bare Flask, grid gzip bytes", ceiling, "/grid.html.gz", False))
        rows.append(("ceiling: bare Flask, session gzip bytes", ceiling, "/session.html.gz", False))
        rows.append(("ceiling: bare Flask, xml gzip bytes", ceiling, "/schedule.xml.gz", False))
        if postgres is not None:
            pg_rows = [(f"PostgreSQL: {n}", postgres, p, g) for n, _s, p, g in rows if _s is podium]
            rows += pg_rows
        for name, server, path, gzipped in rows:
            headers = {"Accept-Encoding": "gzip"} if gzipped else {}
            for _ in range(8):  # warm every worker's cache
                body = _get(server.port, path, headers)
            if use_wrk:
                url = f"http://127.0.0.1:{server.port}{path}"
                rate, p50, p99, bad = load_wrk(url, args.seconds, args.connections, gzipped)
            else:
                rate, p50, p99, bad = load_python(
                    server.port, path, args.seconds, args.connections, gzipped
                )
            print(f"  {name:44} {len(body):9d} {rate:9.0f} {p50:8.1f} {p99:8.1f} {bad:7d}")
        conditional = _conditional_rate(
            podium.port, urls["schedule.xml"], args.seconds, use_wrk, args.connections
        )
        if conditional is None:
            print(f"  {'schedule.xml revalidated (304)':44} {0:9d} {'(needs wrk)':>9}")
        else:
            print(f"  {'schedule.xml revalidated (304)':44} {0:9d} {conditional:9.0f}")
        rss = podium.worker_rss_mb()
        print(f"\npodium worker RSS after load: {', '.join(f'{r:.1f} MB' for r in rss)}")
        if postgres is not None:
            pg_rss = postgres.worker_rss_mb()
            print(f"PostgreSQL worker RSS after load: {', '.join(f'{r:.1f} MB' for r in pg_rss)}")
        print(f"ceiling worker RSS: {', '.join(f'{r:.1f} MB' for r in ceiling.worker_rss_mb())}")
        print(f"(base URL {base}; data in {folder})")
    finally:
        for server in servers:
            server.stop()
        scratch.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def _settle_postgres(database_url: str) -> None:
    """Vacuum, analyse and checkpoint the fresh import now: otherwise autovacuum and the
    checkpointer work through it during the first load rows and take their CPU."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
        connection.execute(text("CHECKPOINT"))
    engine.dispose()


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status}")
    return body


def _conditional_rate(
    port: int, path: str, seconds: int, use_wrk: bool, connections: int
) -> float | None:
    """Requests per second answered 304 to ``If-None-Match``; None without wrk."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    etag = response.getheader("ETag") or ""
    conn.close()
    if not use_wrk:
        return None
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text('wrk.headers["If-None-Match"] = [[' + etag + "]]\n")
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    script.unlink()
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
