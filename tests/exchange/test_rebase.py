"""A release published under one BASE_URL is served, cached and compared under the current one."""

from __future__ import annotations

from flask import Flask

from podium.cfp.models import Submission
from podium.exchange.rebase import rebase_snapshot
from podium.extensions import db
from podium.schedule import services as schedule_services
from tests.schedule.builders import make_event, make_rooms, place

OLD = "http://127.0.0.1:5000"
NEW = "https://conf.example.org"


def test_rebase_moves_only_urls_under_the_publication_address() -> None:
    snapshot = {
        "version": "1",
        "conference": {"base_url": OLD, "url": "https://fosdem.org/2025"},
        "sessions": [
            {
                "url": f"{OLD}/conf/sessions/g1",
                "persons": [{"avatar": f"{OLD}/speaker/avatars/a.png"}],
                "links": [{"href": "http://127.0.0.1:50001/elsewhere"}, {"href": OLD + "x"}],
                "duration_minutes": 30,
            }
        ],
    }

    moved = rebase_snapshot(snapshot, NEW + "/")

    assert moved == {
        "version": "1",
        "conference": {"base_url": NEW, "url": "https://fosdem.org/2025"},
        "sessions": [
            {
                "url": f"{NEW}/conf/sessions/g1",
                "persons": [{"avatar": f"{NEW}/speaker/avatars/a.png"}],
                "links": [{"href": "http://127.0.0.1:50001/elsewhere"}, {"href": OLD + "x"}],
                "duration_minutes": 30,
            }
        ],
    }
    assert snapshot["conference"]["base_url"] == OLD  # the stored release is left as published


def test_rebase_without_a_recorded_address_changes_nothing() -> None:
    snapshot = {"conference": {"base_url": None}, "sessions": [{"url": f"{OLD}/s"}]}

    assert rebase_snapshot(snapshot, NEW) is snapshot


def test_program_serves_an_old_release_under_the_new_address(app: Flask) -> None:
    event = make_event(slug="moved", name="Moved")
    (room,) = make_rooms(event, 1)
    slot = place(event, room, "2030-02-02 10:00", title="Talk")
    app.config["BASE_URL"] = OLD
    schedule_services.publish_release(event=event, actor=None)
    app.config["BASE_URL"] = NEW
    guid = db.session.get(Submission, slot.submission_id).guid
    client = app.test_client()

    first = client.get("/moved/schedule.json")
    body = first.get_data(as_text=True)

    assert OLD not in body
    assert f'"url":"{NEW}/moved/sessions/{guid}"' in body
    # The same release under another address is another representation: a new ETag.
    app.config["BASE_URL"] = OLD
    again = client.get("/moved/schedule.json", headers={"If-None-Match": first.headers["ETag"]})
    assert (again.status_code, OLD in again.get_data(as_text=True)) == (200, True)


def test_unchanged_schedule_under_a_new_address_is_still_unchanged(app: Flask) -> None:
    event = make_event(slug="same", name="Same")
    (room,) = make_rooms(event, 1)
    place(event, room, "2030-02-02 10:00", title="Talk")
    app.config["BASE_URL"] = OLD
    release = schedule_services.publish_release(event=event, actor=None)
    app.config["BASE_URL"] = NEW

    assert schedule_services.unchanged_release(event) == release
