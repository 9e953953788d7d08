"""A web worker serving the public program and answering probes stays small: the modules it
has no use for (Alembic, Pillow) and CLDR locale data for English are never loaded.

Each of these cost every gunicorn worker several MB (Alembic ~10 MB through ``/readyz``,
Pillow ~2 MB, the English CLDR locale ~4 MB for one language name), see bench/bench_http.py.
Checked in a fresh interpreter, as gunicorn starts a worker.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FIXTURE = (
    Path(__file__).parents[1] / "fixtures" / "schedules" / "xml" / "romhack-camp-2026.schedule.xml"
)

WORKER = """
import json, re, sys
from podium.startup import create_worker_app
app = create_worker_app()
client = app.test_client()
statuses = {"/readyz": client.get("/readyz").status_code}
slug = sys.argv[1]
page = client.get(f"/{slug}/schedule/list").get_data(as_text=True)
session = re.search(rf"/{slug}/sessions/[0-9a-f-]{{36}}", page).group(0)
for url in (f"/{slug}/schedule/list", session, f"/{slug}/schedule.xml", f"/{slug}/schedule.ics",
            f"/{slug}/schedule.json", f"/{slug}/speakers/", f"/api/v1/events/{slug}/sessions"):
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    statuses[url] = response.status_code
import babel.localedata
print(json.dumps({
    "statuses": statuses,
    "language shown": "Language</dt>" in client.get(session).get_data(as_text=True),
    "modules": sorted(m for m in ("alembic", "PIL") if m in sys.modules),
    "locales": sorted(babel.localedata._cache),
}))
"""


def _environment(folder: Path) -> dict[str, str]:
    """A process environment with a SQLite database in ``folder`` and no other Podium setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'podium.db'}",
        SECRET_KEY="worker-imports-test-secret-key-0123456789abcdef",
        PODIUM_ENV_FILE=os.devnull,
        PODIUM_INSTANCE_PATH=str(folder / "instance"),
        PODIUM_BASE_URL="http://127.0.0.1",
    )
    return env


def test_worker_serving_the_program_loads_no_alembic_pillow_or_english_cldr(tmp_path: Path) -> None:
    env = _environment(tmp_path)
    podium = [str(Path(sys.executable).parent / "podium")]
    run = {"env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([*podium, "db", "upgrade"], **run)  # type: ignore[call-overload]
    imported = subprocess.run(  # type: ignore[call-overload]
        [*podium, "import-schedule", str(FIXTURE), "--public", "--publish"], **run
    ).stdout
    slug = imported.split("event ", 1)[1].split()[0]

    found = json.loads(subprocess.run([sys.executable, "-c", WORKER, slug], **run).stdout)  # type: ignore[call-overload]

    assert set(found["statuses"].values()) == {200}, found["statuses"]
    assert found["language shown"]
    assert found["modules"] == []
    assert found["locales"] == []


CLI = """
import sys
import click
from flask.cli import ScriptInfo
from podium.cli import cli
ctx = cli.make_context("podium", ["worker"])
with ctx:
    found = {"worker": cli.get_command(ctx, "worker") is not None}
    ctx.ensure_object(ScriptInfo).load_app()
    found["alembic after loading the app"] = "alembic" in sys.modules
    found["db listed"] = "db" in cli.list_commands(ctx)
    found["db upgrade"] = "upgrade" in cli.get_command(ctx, "db").commands
    found["alembic after db"] = "alembic" in sys.modules
print(found)
"""


def test_the_mail_worker_command_loads_no_alembic_until_a_db_command(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", CLI],
        env=_environment(tmp_path),
        check=True,
        capture_output=True,
        text=True,
    ).stdout

    assert out.strip() == str(
        {
            "worker": True,
            "alembic after loading the app": False,
            "db listed": True,
            "db upgrade": True,
            "alembic after db": True,
        }
    )
