"""The demo conference: FOSDEM 2025, imported from the schedule bundled with Podium.

The bundled file ``fosdem-2025.schedule.xml.gz`` is FOSDEM's public schedule export as kept in
the test resources of mttcrsp/fosdem (MIT licence), gzip-compressed and otherwise unchanged.
"""

from __future__ import annotations

import gzip
from importlib.resources import files

from flask_babel import gettext as _
from sqlalchemy import func, select

from podium.events.models import Event
from podium.exchange.frab_xml import parse_frab_xml
from podium.exchange.schedule_data import ScheduleData
from podium.extensions import db
from podium.schedule.models import Slot

DEMO_EVENT_SLUG = "fosdem-2025"
DEMO_FILE = "fosdem-2025.schedule.xml.gz"


def demo_schedule() -> ScheduleData:
    """The bundled FOSDEM 2025 schedule, parsed (943 sessions in 40 rooms over 2 days)."""
    raw = gzip.decompress(files("podium.exchange").joinpath(DEMO_FILE).read_bytes())
    return parse_frab_xml(raw)


def load_demo_event() -> str:
    """Import the demo conference as a public event and publish its schedule, unless done.

    Returns a one-line message for the CLI. Safe to run on every start: a second run finds the
    event's slots and does nothing. The import is published as release 1 so that the public
    program and exports show it at once.
    """
    from podium.exchange.services import import_schedule
    from podium.schedule.services import publish_release

    event = db.session.scalar(select(Event).where(Event.slug == DEMO_EVENT_SLUG))
    if event is not None:
        slots = db.session.scalar(select(func.count(Slot.id)).where(Slot.event_id == event.id))
        if slots:
            return _(
                "Demo event %(slug)s is already loaded (%(n)s scheduled sessions).",
                slug=DEMO_EVENT_SLUG,
                n=slots,
            )
    result = import_schedule(
        data=demo_schedule(), event_slug=DEMO_EVENT_SLUG, actor=None, make_public=True
    )
    event = db.session.scalar(select(Event).where(Event.slug == DEMO_EVENT_SLUG))
    release = publish_release(
        event=event, actor=None, comment="Imported from FOSDEM's public schedule"
    )
    return _(
        "Demo event loaded from the bundled FOSDEM 2025 schedule: %(summary)s; published as "
        "release %(version)s",
        summary=result.summary(),
        version=release.version,
    )
