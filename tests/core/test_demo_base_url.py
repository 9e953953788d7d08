"""``make run PORT=…``: the demo is published at the served address, and exports follow it.

``make run`` runs ``podium demo --host H --port P`` then ``podium run --host H --port P``; the
exports of the demo release must carry ``http://H:P``, and a release published under one
address must be served under the address Podium answers on now (no stale cached base).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import lxml.etree
from sqlalchemy import select

from podium import create_app
from podium.cli import follow_served_address
from podium.extensions import db
from podium.schedule.models import ScheduleRelease
from tests.core.test_cli import PODIUM, _run

LOCAL_ORIGIN = re.compile(r"https?://127\.0\.0\.1:\d+")


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_demo_publishes_at_the_served_port_and_exports_follow_a_new_one(tmp_path: Path) -> None:
    _ok(_run([*PODIUM, "db", "upgrade"], tmp_path))
    output = _ok(_run([*PODIUM, "demo", "--host", "127.0.0.1", "--port", "5150"], tmp_path))

    assert output.splitlines()[-1] == (
        "Next: open http://127.0.0.1:5150/orga/fosdem-2025/ "
        "(the demo event's organizer dashboard) and log in"
    )
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    with app.app_context():
        stored = db.session.scalar(select(ScheduleRelease.snapshot))
        assert stored["conference"]["base_url"] == "http://127.0.0.1:5150"
        guid = stored["sessions"][0]["guid"]
        db.session.remove()
        db.engine.dispose()

    # Served as `podium run --port 5150` would, then at another port (BASE_URL still unset).
    for port in (5150, 5161):
        app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
        follow_served_address(app, host="127.0.0.1", port=port)
        client = app.test_client()
        xml = client.get("/fosdem-2025/schedule.xml").get_data()
        json_text = client.get("/fosdem-2025/schedule.json").get_data(as_text=True)
        ics = client.get("/fosdem-2025/schedule.ics").get_data(as_text=True)
        with app.app_context():
            db.engine.dispose()

        origin = f"http://127.0.0.1:{port}"
        tree = lxml.etree.fromstring(xml)
        assert tree.findtext("conference/base_url") == origin
        assert tree.xpath(f'string(//event[@guid="{guid}"]/url)') == (
            f"{origin}/fosdem-2025/sessions/{guid}"
        )
        for body in (xml.decode(), json_text, ics.replace("\r\n ", "")):
            assert set(LOCAL_ORIGIN.findall(body)) == {origin}
