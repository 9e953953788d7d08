"""An event's editable mail texts: placeholders, refusal of unknown ones, use, reset."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.cfp import emails as cfp_emails
from podium.cfp import services as cfp_services
from podium.extensions import db
from podium.mail.emails import MAIL_TEXTS, event_text
from podium.review.models import DecisionMailTemplate
from tests.mail.helpers import all_mails
from tests.review import conftest as review_conftest
from tests.review.conftest import World
from tests.support.auth import login
from tests.support.permissions import Route, check_matrix

world = review_conftest.world  # the review tests' event, team, speakers and submissions

RECEIPT = {
    "receipt-subject": "Got {submission_title}",
    "receipt-body": "Hi {speaker_name}, {submission_title} ({duration_minutes} min) for "
    "{event_name}: {submission_link} / {event_url}",
}


def _organizer(app: Flask, world: World) -> FlaskClient:
    return login(app.test_client(), world.organizer)


def test_permission_matrix_of_the_mail_texts(app: Flask, world: World) -> None:
    slug = world.event.slug
    check_matrix(
        app,
        {
            "anonymous": None,
            "outsider": world.outsider,
            "speaker": world.speaker,
            "reviewer": world.reviewer,
            "organizer": world.organizer,
            "admin": world.admin,
        },
        [
            Route("GET", f"/orga/{slug}/mail/templates", allowed={"organizer", "admin"}),
            Route(
                "POST",
                f"/orga/{slug}/mail/templates/receipt",
                data=RECEIPT,
                allowed={"organizer", "admin"},
            ),
            Route(
                "POST", f"/orga/{slug}/mail/templates/receipt/reset", allowed={"organizer", "admin"}
            ),
        ],
    )


def test_page_lists_every_kind_with_its_placeholders(app: Flask, world: World) -> None:
    page = _organizer(app, world).get(f"/orga/{world.event.slug}/mail/templates")
    text = page.get_data(as_text=True)

    assert list(MAIL_TEXTS) == [
        "receipt",
        "co_speaker",
        "accept",
        "reject",
        "reminder",
        "schedule_change",
    ]
    for kind, mail_text in MAIL_TEXTS.items():
        assert f'<h2 id="text-{kind}-title">{mail_text.label} <span class="badge">default' in text
    reminder = text[text.index('id="text-reminder"') : text.index('id="text-schedule_change"')]
    assert (
        "<dt><code>{confirmation_link}</code></dt><dd>the link an accepted speaker follows to "
        "confirm or decline</dd>"
    ) in reminder
    assert "{cfp_closes}" not in reminder


def test_unknown_placeholder_is_a_form_error_naming_it(app: Flask, world: World) -> None:
    response = _organizer(app, world).post(
        f"/orga/{world.event.slug}/mail/templates/receipt",
        data={
            "receipt-subject": "Hi",
            "receipt-body": "Dear {speakername}, see {confirmation_link}",
        },
    )

    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert (
        '<p class="field-error" id="receipt-body-error">Unknown placeholder(s): {speakername}, '
        "{confirmation_link}. Use {speaker_name}, {submission_title}, {event_name}, {event_url}, "
        "{submission_link}, {session_type}, {duration_minutes}, {cfp_closes}.</p>"
    ) in text
    # What the organizer typed is kept in the form.
    assert ">\r\nDear {speakername}, see {confirmation_link}</textarea>" in text
    assert db.session.scalars(select(DecisionMailTemplate)).all() == []


def test_saved_receipt_is_sent_and_reset_brings_back_the_default(app: Flask, world: World) -> None:
    client = _organizer(app, world)
    slug = world.event.slug
    saved = client.post(f"/orga/{slug}/mail/templates/receipt", data=RECEIPT)
    assert saved.headers["Location"] == f"/orga/{slug}/mail/templates#text-receipt"
    sub = world.subs[2]  # Gamma talk, one speaker

    cfp_emails.queue_submission_received(submission=sub, event=world.event)
    db.session.commit()

    [mail] = all_mails()
    link = f"http://localhost/{slug}/me/submissions/{sub.id}/edit"
    assert (mail.kind, mail.event_id, mail.recipients) == (
        "cfp_submission_received",
        world.event.id,
        [world.co_speaker.email],
    )
    assert mail.subject == "Got Gamma talk"
    assert mail.body_text == (
        f"Hi {world.profiles['co'].name}, Gamma talk (30 min) for RevConf 2031: {link} / "
        f"http://localhost/{slug}/"
    )

    reset = client.post(f"/orga/{slug}/mail/templates/receipt/reset")
    assert reset.status_code == 302
    cfp_emails.queue_submission_received(submission=sub, event=world.event)
    db.session.commit()
    assert all_mails()[1].subject == "We received your proposal “Gamma talk” for RevConf 2031"


def test_saved_co_speaker_invitation_is_sent(app: Flask, world: World) -> None:
    _organizer(app, world).post(
        f"/orga/{world.event.slug}/mail/templates/co_speaker",
        data={
            "co_speaker-subject": "Join {submission_title}",
            "co_speaker-body": "{invitee_name}: {inviter_name} asks, {valid_days} days.",
        },
    )
    world.subs[2].state = "draft"
    db.session.commit()

    cfp_services.invite_co_speaker(
        submission=world.subs[2], email="new@example.org", name="Nina New", invited_by=world.speaker
    )

    [mail] = all_mails()
    assert (mail.kind, mail.subject, mail.body_text) == (
        "cfp_co_speaker_invitation",
        "Join Gamma talk",
        f"Nina New: {world.speaker.name} asks, 30 days.",
    )


def test_acceptance_text_is_the_one_the_decisions_page_edits(app: Flask, world: World) -> None:
    client = _organizer(app, world)
    slug = world.event.slug
    client.post(
        f"/orga/{slug}/mail/templates/accept",
        data={"accept-subject": "Yes: {submission_title}", "accept-body": "{confirmation_link}"},
    )

    decisions = client.get(f"/orga/{slug}/decisions").get_data(as_text=True)

    assert 'value="Yes: {submission_title}"' in decisions
    assert event_text(world.event.id, "accept") == (
        "Yes: {submission_title}",
        "{confirmation_link}",
    )
    assert event_text(world.event.id, "reject") == (
        MAIL_TEXTS["reject"].subject,
        MAIL_TEXTS["reject"].body,
    )


def test_unknown_kind_is_404(app: Flask, world: World) -> None:
    client = _organizer(app, world)
    assert client.post(f"/orga/{world.event.slug}/mail/templates/nope", data={}).status_code == 404
