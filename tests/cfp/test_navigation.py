"""Speakers and organizers reach every feature of an event from its pages."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from podium.cfp.models import Submission
from podium.extensions import db
from tests.support.auth import login
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)


def test_accepted_speaker_confirms_from_my_submissions(app: Flask, client: FlaskClient) -> None:
    event = EventFactory()
    speaker = UserFactory()
    submission = SubmissionFactory(
        event=event, state="accepted", speaker=SpeakerProfileFactory(user=speaker)
    )
    login(client, speaker)
    page = client.get(f"/{event.slug}/me/").get_data(as_text=True)
    action = f"/review/{event.slug}/submissions/{submission.id}/answer"
    assert f'action="{action}"' in page
    assert 'name="answer" value="confirmed"' in page

    response = client.post(action, data={"answer": "confirmed"})

    assert response.status_code == 302
    assert db.session.get(Submission, submission.id).state == "confirmed"


def test_organizer_navigation_links_every_feature(app: Flask, client: FlaskClient) -> None:
    event = EventFactory()
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    login(client, organizer)
    page = client.get(f"/orga/{event.slug}/").get_data(as_text=True)
    for path in (
        f"/orga/{event.slug}/submissions",
        f"/orga/{event.slug}/review/",
        f"/orga/{event.slug}/ranking",
        f"/orga/{event.slug}/decisions",
        f"/orga/{event.slug}/schedule/",
        f"/orga/{event.slug}/schedule/import/",
        f"/{event.slug}/",
    ):
        assert f'href="{path}"' in page, path
