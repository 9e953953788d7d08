"""The production layout under faults: nginx in front of three web replicas, Redis, PostgreSQL.

Runs first on the shared stack (conftest.py), which test_stack.py then continues with. The
event comes from a real pretalx export (tests/fixtures/schedules/xml/romhack-camp-2026, see
tests/fixtures/README.md), imported and published with `podium import-schedule`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.container import docker, flows
from tests.container.support import FIGURES, REPO, Stack, require_or_skip

pytestmark = pytest.mark.container

SLUG = "romhack-camp-2026"
SCHEDULE_FILE = REPO / "tests" / "fixtures" / "schedules" / "xml" / f"{SLUG}.schedule.xml"
ADMIN_EMAIL = "proxy-admin@example.org"
ADMIN_PASSWORD = "container-proxy-admin-1"
WRONG_LOGIN = {"email": "nobody@example.org", "password": "not the password"}
LOGIN_LIMIT = 10  # PODIUM_LOGIN_RATE_LIMIT's default: 10 per minute


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of a GET; error statuses are returned, not raised."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def schedule_version(body: bytes) -> str:
    """The release number in a frab schedule.xml."""
    return re.search(rb"<version>([^<]*)</version>", body).group(1).decode()


def replica_urls(stack: Stack) -> list[str]:
    """http://<container address>:8000 of each web replica, in `compose ps` order."""
    urls = []
    for container in stack.compose.run("ps", "-q", "web").stdout.split():
        info = json.loads(docker.run_docker(["inspect", container]).stdout)[0]
        address = next(iter(info["NetworkSettings"]["Networks"].values()))["IPAddress"]
        urls.append(f"http://{address}:8000")
    return urls


def web_containers(stack: Stack) -> list[str]:
    return stack.compose.run("ps", "-q", "web").stdout.split()


@pytest.fixture(scope="module")
def published(stack: Stack) -> str:
    """The RomHack Camp schedule imported, public and published as release 1; an admin."""
    stack.compose.run(
        "exec", "-T", "web", "sh", "-c", "cat > /var/lib/podium/instance/import.xml",
        input_text=SCHEDULE_FILE.read_text(encoding="utf-8"),
    )  # fmt: skip
    imported = stack.compose.run(
        "exec", "-T", "web", "podium", "import-schedule", "/var/lib/podium/instance/import.xml",
        "--public", "--publish",
    )  # fmt: skip
    assert imported.stdout.strip().splitlines()[-1] == "published as release 1"
    stack.compose.run(
        "exec", "-T", "web", "podium", "create-admin", "--email", ADMIN_EMAIL,
        "--password-file", "-", input_text=ADMIN_PASSWORD + "\n",
    )  # fmt: skip
    return f"{stack.web_url}/{SLUG}"


def test_proxy_serves_static_files_itself(stack: Stack) -> None:
    status, headers, body = fetch(stack.web_url + "/static/podium.css")
    assert (status, body) == (200, (REPO / "src/podium/static/podium.css").read_bytes())
    # nginx's own ETag ("mtime-size" in hex); Podium would add its security headers.
    assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', headers["ETag"])
    assert "Content-Security-Policy" not in headers


def test_public_program_is_cached_per_release_private_pages_never(published: str) -> None:
    first = fetch(published + "/schedule.xml")
    second = fetch(published + "/schedule.xml")
    assert (first[0], first[1]["X-Cache-Status"]) == (200, "MISS")
    assert (second[0], second[1]["X-Cache-Status"], second[2]) == (200, "HIT", first[2])
    page = fetch(published + "/schedule/")
    assert (page[0], page[1]["Cache-Control"]) == (200, "public, no-cache")
    # A session cookie bypasses the cache, and a logged-in page is never stored.
    with_cookie = fetch(published + "/schedule/", {"Cookie": "session=anything"})
    assert with_cookie[1]["X-Cache-Status"] == "BYPASS"
    login_form = [fetch(published.rsplit("/", 1)[0] + "/account/login")[1] for _ in range(2)]
    assert [h["X-Cache-Status"] for h in login_form] == ["MISS", "MISS"]


LOGIN_SCRIPT = """
import http.cookiejar, json, re, sys, urllib.parse, urllib.request as u
codes = []
for number in range(int(sys.argv[1])):
    # A fresh browser each time, claiming another address in X-Forwarded-For.
    opener = u.build_opener(u.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.addheaders = [("X-Forwarded-For", f"198.51.100.{number}")]
    page = opener.open("http://proxy/account/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    data = {"csrf_token": token, "email": "nobody@example.org", "password": "not the password"}
    body = urllib.parse.urlencode(data).encode()
    try:
        codes.append(opener.open("http://proxy/account/login", body).status)
    except u.HTTPError as error:
        codes.append(error.code)
print(json.dumps(codes))
"""


def test_login_limits_are_per_real_client_behind_the_proxy(stack: Stack) -> None:
    # From inside the worker container (one machine behind the proxy), each attempt claiming
    # another address: nginx appends the real one, the only one Podium trusts (one hop).
    result = stack.compose.run(
        "exec", "-T", "worker", "python", "-c", LOGIN_SCRIPT, str(LOGIN_LIMIT + 1)
    )
    assert json.loads(result.stdout) == [400] * LOGIN_LIMIT + [429]
    # This machine, another client, has its own bucket; the three replicas share them (Redis).
    browser = flows.Browser(stack.web_url)
    assert browser.submit(flows.LOGIN_PATH, WRONG_LOGIN, needs="password").status == 400
    # The access log shows the real client, never the address a client claimed.
    assert "198.51.100." not in stack.compose.run("logs", "--no-color", "web").stdout


def test_release_published_through_one_replica_is_served_by_the_others(
    stack: Stack, published: str
) -> None:
    first, *others = replica_urls(stack)
    assert len(others) == 2
    # Replicas 2 and 3 have release 1 in their in-process caches.
    assert [schedule_version(fetch(f"{url}/{SLUG}/schedule.xml")[2]) for url in others] == [
        "1",
        "1",
    ]
    organizer = flows.Browser(first)
    assert flows.log_in(organizer, email=ADMIN_EMAIL, password=ADMIN_PASSWORD).status == 200
    done = organizer.submit(
        f"/orga/{SLUG}/schedule/", {"allow_unchanged": "y"}, needs="allow_unchanged"
    )
    assert (done.status, done.url) == (200, f"{first}/orga/{SLUG}/schedule/releases")
    assert [schedule_version(fetch(f"{url}/{SLUG}/schedule.xml")[2]) for url in others] == [
        "2",
        "2",
    ]
    # Through the proxy's cache: revalidated within a second.
    deadline = time.monotonic() + 1.5
    while schedule_version(fetch(published + "/schedule.xml")[2]) != "2":
        assert time.monotonic() < deadline, "the proxy still serves release 1 after 1.5 s"
        time.sleep(0.1)


def _background_wrk(url: str, seconds: int) -> subprocess.Popen[str]:
    """Start ``wrk -t2 -c64`` against ``url``; a session cookie makes the proxy pass every
    request to the replicas instead of answering from its cache."""
    return subprocess.Popen(
        ["wrk", "-t2", "-c64", f"-d{seconds}s", "--timeout", "10s",
         "-H", "Cookie: session=load-test", url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _finish_wrk(process: subprocess.Popen[str]) -> dict[str, int]:
    """Requests made, non-2xx/3xx answers and socket errors of a finished wrk run."""
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "requests": requests,
        "failed": int(non_2xx.group(1)) if non_2xx else 0,
        "socket errors": sum(map(int, errors.groups())) if errors else 0,
    }


def _wait_running_healthy(container: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        state = json.loads(docker.run_docker(["inspect", container]).stdout)[0]["State"]
        if state.get("Health", {}).get("Status") == "healthy":
            return
        assert time.monotonic() < deadline, f"{container} not healthy: {state}"
        time.sleep(1)


def test_stopping_a_replica_under_load_loses_at_most_its_requests_in_flight(
    stack: Stack, published: str
) -> None:
    if shutil.which("wrk") is None:
        require_or_skip("wrk is not installed (docker/ensure-docker.sh installs it)")
    victim = web_containers(stack)[-1]
    url = published + "/schedule/"
    load = _background_wrk(url, seconds=6)
    time.sleep(2)
    docker.run_docker(["stop", "--time", "10", victim])
    try:
        during = _finish_wrk(load)
        after = _finish_wrk(_background_wrk(url, seconds=3))
    finally:
        docker.run_docker(["start", victim])
    FIGURES["wrk -c64 via proxy to 3 replicas, one stopped at 2 s (req/s)"] = (
        during["requests"] / 6,
        "req/s",
    )
    # At most the requests in flight on the stopped replica (one per connection) may fail;
    # once it is gone, none.
    assert during["failed"] + during["socket errors"] <= 64, during
    assert (after["failed"], after["socket errors"], after["requests"] > 100) == (0, 0, True)
    _wait_running_healthy(victim)


def test_database_outage_answers_503_then_recovers_without_restart(
    stack: Stack, published: str
) -> None:
    compose = stack.compose
    home = stack.web_url + "/"
    program = published + "/schedule/"
    assert fetch(program)[0] == 200  # in the proxy's cache from here on
    started = {c: _started_at(c) for c in web_containers(stack)}
    compose.run("stop", "db")
    try:
        status, headers, body = fetch(home)
        assert (status, headers.get("Retry-After")) == (503, "10")
        assert b"<h1>Temporarily unavailable</h1>" in body
        ready = fetch(stack.web_url + "/readyz")
        assert (ready[0], json.loads(ready[2])) == (
            503,
            {"status": "not ready", "reason": "the database does not answer"},
        )
        # The last copy of the public program keeps being served meanwhile. The proxy holds a
        # copy fresh for 1 s (proxy_cache_valid): wait past that, or a fast stop of the
        # database leaves it still fresh (HIT) rather than stale.
        time.sleep(1.2)
        stale = fetch(program)
        assert (stale[0], stale[1]["X-Cache-Status"]) == (200, "STALE")
    finally:
        compose.run("start", "db")
    back = time.monotonic()
    while fetch(home)[0] != 200:
        assert time.monotonic() < back + 90, "Podium did not recover within 90 s"
        time.sleep(0.5)
    FIGURES["database start until pages answer again"] = (time.monotonic() - back, "s")
    assert fetch(stack.web_url + "/readyz")[0] == 200
    # Recovered in place: no replica was restarted.
    assert {c: _started_at(c) for c in web_containers(stack)} == started


def _started_at(container: str) -> tuple[str, int]:
    state = json.loads(docker.run_docker(["inspect", container]).stdout)[0]
    return state["State"]["StartedAt"], state["RestartCount"]
