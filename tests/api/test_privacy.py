"""Nothing private reaches the API: notes, reviews, e-mail addresses, drafts, private events,
and changes to the working schedule until they are published in a new release."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from podium.extensions import db
from podium.review.models import Review
from podium.schedule import services
from tests.api.support import assert_valid
from tests.schedule.builders import local, make_event, make_rooms, make_submission, place
from tests.support.factories import SpeakerProfileFactory, UserFactory

SECRETS = {
    "email": "hidden.speaker@example.org",
    "notes": "ORGANIZER-NOTE-7f3a",
    "review": "REVIEW-COMMENT-9c1e",
    "draft": "DRAFT-TITLE-41bd",
    "submitted": "SUBMITTED-NOT-ACCEPTED-5e2c",
    "private event": "PRIVATE-EVENT-TALK-0a9d",
    "renamed": "RENAMED-AFTER-RELEASE-77c1",
    "added": "ADDED-AFTER-RELEASE-3b8e",
}


def responses(client: FlaskClient) -> dict[str, str]:
    """Every API response a client can reach by following the API's own lists and links."""
    found: dict[str, str] = {}

    def fetch(url: str) -> dict:
        response = client.get(url)
        found[url] = response.get_data(as_text=True)
        return response.get_json()

    fetch("/api/v1/openapi.json")
    for event in fetch("/api/v1/events")["events"]:
        slug = event["slug"]
        fetch(f"/api/v1/events/{slug}")
        fetch(f"/api/v1/events/{slug}/speakers")
        for item in fetch(f"/api/v1/events/{slug}/sessions")["sessions"]:
            fetch(f"/api/v1/events/{slug}/sessions/{item['guid']}")
    for path in ("", "/sessions", "/speakers"):
        fetch(f"/api/v1/events/private{path}")
    return found


def test_private_data_never_appears_and_changes_wait_for_a_release(
    client: FlaskClient, app: Flask
) -> None:
    event = make_event(slug="open")
    room_a, room_b = make_rooms(event, 2)
    user = UserFactory(email=SECRETS["email"], name="Grace Hopper")
    speaker = SpeakerProfileFactory(user=user)
    slot = place(event, room_a, "2030-02-02 10:00", title="Compilers", speakers=(speaker,))
    talk = slot.submission
    talk.notes = SECRETS["notes"]
    reviewer = UserFactory()
    db.session.add(
        Review(submission_id=talk.id, reviewer_id=reviewer.id, comment=SECRETS["review"])
    )
    # A draft that somehow has a slot, and a proposal never accepted: neither is a session.
    place(event, room_b, "2030-02-02 11:00", title=SECRETS["draft"], state="draft")
    make_submission(event, title=SECRETS["submitted"], state="submitted", speakers=(speaker,))
    hidden = make_event(slug="private", is_public=False)
    (hidden_room,) = make_rooms(hidden, 1)
    place(hidden, hidden_room, "2030-02-02 10:00", title=SECRETS["private event"])
    services.publish_release(event=hidden, actor=None)
    services.publish_release(event=event, actor=None)

    # Changes to the working schedule after release 1: not public yet.
    talk.title = SECRETS["renamed"]
    db.session.commit()
    services.move_slot(
        event=event, slot=slot, room=room_b, start_at=local(event, "2030-02-02 15:00")
    )
    place(event, room_a, "2030-02-02 16:00", title=SECRETS["added"])

    before = responses(client)
    assert len(before) == 9  # openapi, list, event, speakers, sessions, 1 session, 3 private
    for url, body in before.items():
        for what, secret in SECRETS.items():
            assert secret not in body, f"{what} leaked in {url}"
        if "/private" in url:
            assert '"code":404' in body, url
    sessions = client.get("/api/v1/events/open/sessions").get_json()
    assert_valid(sessions, "SessionList")
    (only,) = sessions["sessions"]
    assert (only["title"], only["room"], only["start_local"]) == (
        "Compilers",
        "Room A",
        "2030-02-02T10:00:00+01:00",
    )
    assert only["speakers"][0]["name"] == "Grace Hopper"

    services.publish_release(event=event, actor=None)
    after = responses(client)
    sessions = client.get("/api/v1/events/open/sessions").get_json()
    assert sessions["release"]["version"] == 2
    assert [(s["title"], s["room"], s["start_local"]) for s in sessions["sessions"]] == [
        (SECRETS["renamed"], "Room B", "2030-02-02T15:00:00+01:00"),
        (SECRETS["added"], "Room A", "2030-02-02T16:00:00+01:00"),
    ]
    published = {"renamed", "added"}
    for url, body in after.items():
        for what, secret in SECRETS.items():
            if what not in published:
                assert secret not in body, f"{what} leaked in {url}"
