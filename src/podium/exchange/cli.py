"""``podium import-schedule``: import a frab schedule.xml or schedule JSON file."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from podium.exchange.errors import ScheduleImportError


@click.command("import-schedule")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--event", "event_slug", help="Event slug to import into (default: the file's).")
@click.option("--time-zone", help="IANA zone for files without one whose offsets vary.")
@click.option("--public/--not-public", default=False, help="Make the event public.")
@with_appcontext
def import_schedule_command(
    file: Path, event_slug: str | None, time_zone: str | None, public: bool
) -> None:
    """Import FILE (frab/pentabarf schedule.xml or schedule JSON); re-running updates."""
    from podium.exchange.services import import_schedule, parse_schedule_file

    try:
        data = parse_schedule_file(file.read_bytes(), time_zone=time_zone)
        result = import_schedule(data=data, event_slug=event_slug, actor=None, make_public=public)
    except ScheduleImportError as exc:
        click.echo(f"podium import-schedule: {file}: {exc}", err=True)
        sys.exit(1)
    click.echo(result.summary())


def register_cli(group: click.Group) -> None:
    """Add the exchange commands to the ``podium`` command group."""
    group.add_command(import_schedule_command)
