"""``podium import-schedule``: import a schedule file (frab XML, schedule JSON, iCalendar)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from podium.exchange.errors import ScheduleImportError

_SHOWN_WARNINGS = 20  # a file with thousands of bad links should not flood the terminal


@click.command("import-schedule")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--event", "event_slug", help="Event slug to import into (default: the file's).")
@click.option("--time-zone", help="IANA zone for files without one (or to override the file's).")
@click.option("--public/--not-public", default=False, help="Make the event public.")
@click.option(
    "--publish",
    is_flag=True,
    help="Publish the imported schedule as a new release (the public program shows releases).",
)
@with_appcontext
def import_schedule_command(
    file: Path, event_slug: str | None, time_zone: str | None, public: bool, publish: bool
) -> None:
    """Import FILE (frab/pentabarf schedule.xml, schedule JSON v1 or v2, iCalendar).

    Re-running updates. A file without a time zone gets one with --time-zone.
    """
    from podium.events.models import Event
    from podium.exchange.services import import_schedule, parse_schedule_file
    from podium.extensions import db
    from podium.schedule.services import (
        UnchangedScheduleError,
        publish_release,
        unchanged_release,
    )

    try:
        data = parse_schedule_file(file.read_bytes(), time_zone=time_zone)
        result = import_schedule(data=data, event_slug=event_slug, actor=None, make_public=public)
    except ScheduleImportError as exc:
        click.echo(f"podium import-schedule: {file}: {exc}", err=True)
        if exc.suggested_zone:
            click.echo(_("  try: --time-zone %(zone)s", zone=exc.suggested_zone), err=True)
        sys.exit(1)
    click.echo(result.summary())
    for line in result.warnings[:_SHOWN_WARNINGS]:
        click.echo(f"  {line}")
    if len(result.warnings) > _SHOWN_WARNINGS:
        click.echo(_("  ... and %(n)s more", n=len(result.warnings) - _SHOWN_WARNINGS))
    if publish:
        event = db.session.scalar(select(Event).where(Event.slug == result.event_slug))
        try:
            release = publish_release(event=event, actor=None, comment=f"Imported from {file.name}")
        except UnchangedScheduleError as exc:
            # Re-running the same import is normal; an identical release would only make
            # schedule apps fetch a "new" schedule with nothing new in it.
            click.echo(
                _(
                    "not published: the schedule is unchanged since release %(version)s, "
                    "which stays current",
                    version=exc.version,
                )
            )
        else:
            click.echo(_("published as release %(version)s", version=release.version))
    else:
        event = db.session.scalar(select(Event).where(Event.slug == result.event_slug))
        current = unchanged_release(event)
        if current is not None:
            click.echo(
                _(
                    "nothing to publish: the schedule is the same as release %(version)s",
                    version=current.version,
                )
            )
            return
        # Without this line the import looks finished while the public program stays empty.
        base = current_app.config["BASE_URL"].rstrip("/")
        click.echo(
            _(
                "not published yet: the public program shows nothing new until you publish at "
                "%(url)s (or re-run with --publish)",
                url=base + "/orga/" + result.event_slug + "/schedule/",
            )
        )


def register_cli(group: click.Group) -> None:
    """Add the exchange commands to the ``podium`` command group."""
    group.add_command(import_schedule_command)
