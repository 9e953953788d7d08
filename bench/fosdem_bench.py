"""Shared set-up of the benchmarks that need FOSDEM 2025 imported into a fresh database.

Benchmarks run as scripts (``python bench/bench_x.py``), so this folder is on ``sys.path``.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FOSDEM = ROOT / "tests" / "fixtures" / "schedules" / "xml" / "fosdem-2025.schedule.xml"


@contextmanager
def scratch_postgres_database(server_url: str) -> Iterator[str]:
    """A fresh, empty database on the PostgreSQL server at ``server_url`` (an SQLAlchemy URL);
    yields its URL and drops it (``WITH (FORCE)``: connections left open do not stop it)."""
    import secrets

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"podium_bench_{secrets.token_hex(4)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def timed(action: Callable[[], Any]) -> tuple[float, float]:
    """Run ``action`` once; its ``(wall seconds, CPU seconds of this process)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


@contextmanager
def fosdem_event(**config: Any) -> Iterator[tuple[Any, Any, int]]:
    """A Podium app on a temporary SQLite database with FOSDEM 2025 imported.

    Yields ``(app, event, sessions created)`` inside the app context; ``config`` adds to or
    overrides the benchmark settings (e.g. ``WTF_CSRF_ENABLED=False``). The database is
    removed afterwards.
    """
    from sqlalchemy import select

    from podium import create_app
    from podium.events.models import Event
    from podium.exchange.frab_xml import parse_frab_xml
    from podium.exchange.services import import_schedule
    from podium.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{folder}/bench.db",
                "INSTANCE_PATH": str(Path(folder) / "instance"),
                "SECRET_KEY": "bench-secret-key-0123456789abcdef",
                "BASE_URL": "https://podium.example.org",
                "TESTING": True,
                **config,
            }
        )
        with app.app_context():
            db.create_all()
            result = import_schedule(
                data=parse_frab_xml(FOSDEM.read_bytes()), event_slug=None, actor=None
            )
            event = db.session.scalar(select(Event).where(Event.slug == result.event_slug))
            assert event is not None
            try:
                yield app, event, result.sessions_created
            finally:
                db.session.remove()
                db.engine.dispose()
