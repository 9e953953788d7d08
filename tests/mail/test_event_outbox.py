"""One event's outbox for its organizers: permissions, held mail, honesty without SMTP, panel."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from podium.extensions import db
from podium.mail.models import OutboxMail
from podium.mail.services import queue_mail, queue_text_mail
from tests.mail.helpers import all_mails, queue_test_mails
from tests.review import conftest as review_conftest
from tests.review.conftest import World
from tests.support.auth import login
from tests.support.factories import EventFactory, MembershipFactory, UserFactory
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries

world = review_conftest.world  # the review tests' event, team, speakers and submissions
ORGA = {"organizer", "admin"}
FIXED_ID = 876543  # the held mail a matrix route deletes is recreated with this id
NO_SENDER = (
    "No SMTP server is configured (<code>PODIUM_SMTP_HOST</code>): held and queued mail stays "
    "in the outbox until one is configured. Nothing has been delivered."
)


def _client(app: Flask, user) -> FlaskClient:  # type: ignore[no-untyped-def]
    return login(app.test_client(), user)


def _held(event_id: int, subject: str = "Hello", to: str = "x@example.org") -> OutboxMail:
    mail = queue_text_mail(
        to=[to], subject=subject, body=f"Body of {subject}", event_id=event_id, kind="speaker_mail"
    )
    db.session.commit()
    return mail


def _recreate_held(world: World) -> None:
    if db.session.get(OutboxMail, FIXED_ID) is None:
        db.session.add(
            OutboxMail(
                id=FIXED_ID,
                event_id=world.event.id,
                recipients=["x@example.org"],
                subject="s",
                body_text="b",
                kind="speaker_mail",
                context={"subject": "s", "body": "b"},
                state="held",
            )
        )
        db.session.commit()


def _listed_ids(page: str, slug: str) -> list[int]:
    return [int(i) for i in re.findall(rf'href="/orga/{slug}/mail/(\d+)"', page)]


def test_permission_matrix_of_the_event_outbox(app: Flask, world: World) -> None:
    slug = world.event.slug
    mail = _held(world.event.id)
    users = {
        "anonymous": None,
        "outsider": world.outsider,
        "speaker": world.speaker,
        "reviewer": world.reviewer,
        "organizer": world.organizer,
        "admin": world.admin,
    }
    check_matrix(
        app,
        users,
        [
            Route("GET", f"/orga/{slug}/mail/", allowed=ORGA),
            Route("GET", f"/orga/{slug}/mail/?state=held", allowed=ORGA),
            Route("GET", f"/orga/{slug}/mail/{mail.id}", allowed=ORGA),
            Route(
                "POST",
                f"/orga/{slug}/mail/{FIXED_ID}",
                data={"subject": "S2", "body": "B2"},
                allowed=ORGA,
                setup=lambda: _recreate_held(world),
            ),
            Route(
                "POST",
                f"/orga/{slug}/mail/{FIXED_ID}/discard",
                allowed=ORGA,
                setup=lambda: _recreate_held(world),
            ),
            Route("POST", f"/orga/{slug}/mail/{mail.id}/requeue", allowed=ORGA),
            Route("POST", f"/orga/{slug}/mail/send", allowed=ORGA),
            Route("GET", f"/orga/{slug}/decisions/mails", allowed=ORGA),
        ],
    )


def test_organizers_of_another_event_never_see_its_mail_or_account_mail(
    app: Flask, world: World
) -> None:
    other = EventFactory(slug="otherconf", name="OtherConf")
    other_organizer = UserFactory(name="Oscar Other")
    MembershipFactory(event=other, user=other_organizer, role="organizer")
    mine = _held(other.id, "Mine")
    theirs = _held(world.event.id, "Theirs")
    [account_mail] = queue_test_mails(1)
    client = _client(app, other_organizer)

    listing = client.get("/orga/otherconf/mail/").get_data(as_text=True)

    assert _listed_ids(listing, "otherconf") == [mine.id]
    assert client.get(f"/orga/{world.event.slug}/mail/").status_code == 403
    assert client.get(f"/orga/{world.event.slug}/mail/{theirs.id}").status_code == 403
    for foreign in (theirs.id, account_mail.id):
        assert client.get(f"/orga/otherconf/mail/{foreign}").status_code == 404
        assert client.post(f"/orga/otherconf/mail/{foreign}/discard").status_code == 404
        assert (
            client.post(
                f"/orga/otherconf/mail/{foreign}", data={"subject": "x", "body": "y"}
            ).status_code
            == 404
        )
    client.post("/orga/otherconf/mail/send")
    assert [(m.subject, m.state) for m in all_mails()] == [
        ("Mine", "queued"),
        ("Theirs", "held"),
        ("Your password has been changed", "queued"),
    ]


def test_held_mail_is_edited_discarded_and_sent_from_the_event_outbox(
    app: Flask, world: World
) -> None:
    slug = world.event.slug
    first = _held(world.event.id, "First", "a@example.org")
    second = _held(world.event.id, "Second", "b@example.org")
    client = _client(app, world.organizer)

    page = client.get(f"/orga/{slug}/mail/{first.id}").get_data(as_text=True)
    assert 'name="subject" required type="text" value="First"' in page
    assert ">\r\nBody of First</textarea>" in page
    edited = client.post(
        f"/orga/{slug}/mail/{first.id}",
        data={"subject": "  New   subject ", "body": "Hi <b>you</b>"},
    )
    assert edited.headers["Location"] == f"/orga/{slug}/mail/{first.id}"
    empty = client.post(f"/orga/{slug}/mail/{first.id}", data={"subject": "S", "body": "   "})
    assert empty.status_code == 400
    assert '<p class="field-error" id="body-error">This field is required.</p>' in (
        empty.get_data(as_text=True)
    )
    assert client.post(f"/orga/{slug}/mail/{second.id}/discard").status_code == 302
    held_page = client.get(f"/orga/{slug}/mail/?state=held").get_data(as_text=True)
    assert _listed_ids(held_page, slug) == [first.id]
    assert "Send all 1 held mail(s)" in held_page

    sent = client.post(f"/orga/{slug}/mail/send", follow_redirects=True).get_data(as_text=True)

    assert (
        "1 mail(s) moved to the outbox queue, but no SMTP server is configured "
        "(PODIUM_SMTP_HOST): mail stays in the outbox until one is."
    ) in sent
    assert NO_SENDER in sent
    [mail] = all_mails()
    assert (mail.subject, mail.state, mail.body_text) == ("New subject", "queued", "Hi <b>you</b>")
    assert "<p>Hi &lt;b&gt;you&lt;/b&gt;</p>" in mail.body_html
    # Queued mail can no longer be changed or discarded.
    assert client.post(f"/orga/{slug}/mail/{mail.id}/discard").status_code == 409
    again = client.post(f"/orga/{slug}/mail/{mail.id}", data={"subject": "S", "body": "B"})
    assert again.status_code == 409


def test_send_all_says_queued_when_a_sender_is_configured(app: Flask, world: World) -> None:
    app.config["SMTP_HOST"] = "smtp.example.org"
    _held(world.event.id)
    client = _client(app, world.organizer)

    sent = client.post(f"/orga/{world.event.slug}/mail/send", follow_redirects=True)

    text = sent.get_data(as_text=True)
    assert "1 mail(s) queued for sending." in text
    assert "No SMTP server is configured" not in text


def test_old_held_mails_url_redirects_to_the_event_outbox(app: Flask, world: World) -> None:
    client = _client(app, world.organizer)
    response = client.get(f"/orga/{world.event.slug}/decisions/mails")
    assert response.headers["Location"] == f"/orga/{world.event.slug}/mail/?state=held"


def test_failed_mail_shows_its_last_error_and_can_be_queued_again(app: Flask, world: World) -> None:
    slug = world.event.slug
    mail = queue_mail(
        to=["s@example.org"],
        template="mail_text",
        context={"subject": "Receipt", "body": "Thanks"},
        event_id=world.event.id,
    )
    db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail.id)
        .values(state="failed", last_error="550 mailbox unavailable", attempts=3)
    )
    db.session.commit()
    client = _client(app, world.organizer)

    listing = client.get(f"/orga/{slug}/mail/").get_data(as_text=True)
    assert (
        f'Last error (<a href="/orga/{slug}/mail/{mail.id}">mail {mail.id}</a>): '
        '<span class="mail-error">550 mailbox unavailable</span>'
    ) in listing
    page = client.get(f"/orga/{slug}/mail/{mail.id}").get_data(as_text=True)
    assert '<dt>Last error</dt><dd class="mail-error">550 mailbox unavailable</dd>' in page
    assert client.post(f"/orga/{slug}/mail/{mail.id}/requeue").status_code == 302
    [requeued] = all_mails()
    assert (requeued.state, requeued.attempts) == ("queued", 0)


def test_dashboard_mail_panel_counts_and_warns(app: Flask, world: World) -> None:
    slug = world.event.slug
    _held(world.event.id, "One")
    _held(world.event.id, "Two")
    failed = _held(world.event.id, "Three")
    db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == failed.id)
        .values(state="failed", last_error="SMTP refused: 554")
    )
    db.session.commit()
    queue_test_mails(3)  # account mail counts nowhere in the event
    client = _client(app, world.organizer)

    page = client.get(f"/orga/{slug}/").get_data(as_text=True)

    start = page.index('<section class="card mail-panel"')
    panel = page[start : page.index("</section>", start)]
    counts = re.findall(r'state=(\w+)">(\w+): (\d+)</a>', panel)
    assert counts == [
        ("held", "held", "2"),
        ("queued", "queued", "0"),
        ("failed", "failed", "1"),
        ("sent", "sent", "0"),
    ]
    assert NO_SENDER in panel
    assert '<span class="mail-error">SMTP refused: 554</span>' in panel


def test_dashboard_mail_panel_without_waiting_mail_has_no_warning(app: Flask, world: World) -> None:
    page = _client(app, world.organizer).get(f"/orga/{world.event.slug}/").get_data(as_text=True)
    assert "mail-panel" in page
    assert "No SMTP server is configured" not in page


def test_event_outbox_query_count_does_not_grow_with_mail(app: Flask, world: World) -> None:
    client = _client(app, world.organizer)
    url = f"/orga/{world.event.slug}/mail/"
    _held(world.event.id)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    for i in range(30):
        _held(world.event.id, f"Mail {i}")
    client.get(url)  # the commits above expired the shared session's objects
    with count_queries() as large:
        page = client.get(url).get_data(as_text=True)
    assert len(_listed_ids(page, world.event.slug)) == 31
    assert large.count == small.count


def test_held_mail_edit_refuses_a_placeholder_that_would_go_out_raw(
    app: Flask, world: World
) -> None:
    # Found by a new organizer: "{speaker_name}" typed into a held mail's subject was sent as it
    # was, because placeholders are filled when a mail is written, not when it is sent.
    slug = world.event.slug
    held = _held(world.event.id, "First", "a@example.org")
    client = _client(app, world.organizer)

    in_subject = client.post(
        f"/orga/{slug}/mail/{held.id}", data={"subject": "Hi {speaker_name}", "body": "Text"}
    )
    in_body = client.post(
        f"/orga/{slug}/mail/{held.id}", data={"subject": "Hi", "body": "See {session_room}."}
    )

    assert (in_subject.status_code, in_body.status_code) == (400, 400)
    assert (
        '<p class="field-error" id="subject-error">{speaker_name} would be sent as it is: '
        "placeholders are filled when a mail is written, so write the text itself here</p>"
    ) in in_subject.get_data(as_text=True)
    assert 'id="body-error">{session_room} would be sent as it is' in in_body.get_data(as_text=True)
    db.session.refresh(held)
    assert (held.subject, held.state) == ("First", "held")
