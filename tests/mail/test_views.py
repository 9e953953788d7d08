"""The outbox pages: a developer without a mail server confirms an account from here."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from podium.extensions import db
from podium.mail.models import OutboxMail
from podium.mail.services import queue_mail
from podium.mail.views import clean_mail_html, linkify
from tests.mail.helpers import all_mails, queue_test_mails
from tests.support.auth import login
from tests.support.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.queries import count_queries


@pytest.fixture
def admin_client(app: Flask) -> FlaskClient:
    return login(app.test_client(), UserFactory(is_admin=True))


def test_developer_confirms_an_account_through_the_outbox(
    app: Flask, client: FlaskClient, admin_client: FlaskClient
) -> None:
    client.post(
        "/account/signup",
        data={
            "name": "Dev",
            "email": "dev@example.org",
            "password": DEFAULT_PASSWORD,
            "password_repeat": DEFAULT_PASSWORD,
        },
    )
    listing = admin_client.get("/mail/outbox").get_data(as_text=True)
    [mail] = all_mails()
    assert f'<a href="/mail/outbox/{mail.id}">Confirm your e-mail address</a>' in listing
    assert "No SMTP server is configured" in listing
    page = admin_client.get(f"/mail/outbox/{mail.id}").get_data(as_text=True)
    url = mail.body_text.split("http://localhost", 1)[1].split()[0]
    assert f'<a href="http://localhost{url}">http://localhost{url}</a>' in page
    assert client.post(url).headers["Location"] == "/account/login"
    login_response = client.post(
        "/account/login", data={"email": "dev@example.org", "password": DEFAULT_PASSWORD}
    )
    assert login_response.headers["Location"] == "/account/"


def test_outbox_filters_by_state_and_rejects_unknown_state(
    app: Flask, admin_client: FlaskClient
) -> None:
    first, second = queue_test_mails(2)
    db.session.execute(update(OutboxMail).where(OutboxMail.id == first.id).values(state="failed"))
    db.session.commit()
    failed = admin_client.get("/mail/outbox?state=failed").get_data(as_text=True)
    assert f'href="/mail/outbox/{first.id}"' in failed
    assert f'href="/mail/outbox/{second.id}"' not in failed
    assert "failed (1)" in failed and "queued (1)" in failed
    bad = admin_client.get("/mail/outbox?state=lost")
    assert bad.status_code == 400
    assert "state must be one of held, queued, sending, sent, failed" in bad.get_data(as_text=True)


def test_outbox_page_query_count_is_bounded(app: Flask, admin_client: FlaskClient) -> None:
    queue_test_mails(3)
    with count_queries() as small:
        admin_client.get("/mail/outbox")
    queue_test_mails(40)
    with count_queries() as large:
        html = admin_client.get("/mail/outbox").get_data(as_text=True)
    assert html.count('href="/mail/outbox/') == 43
    assert large.count == small.count


def test_outbox_pages_after_fifty_mails(app: Flask, admin_client: FlaskClient) -> None:
    mails = queue_test_mails(51)
    first_page = admin_client.get("/mail/outbox").get_data(as_text=True)
    assert first_page.count('href="/mail/outbox/') == 50
    assert 'href="/mail/outbox?page=2">Older</a>' in first_page
    second_page = admin_client.get("/mail/outbox?page=2").get_data(as_text=True)
    assert f'href="/mail/outbox/{mails[0].id}"' in second_page


def test_unknown_mail_is_404(app: Flask, admin_client: FlaskClient) -> None:
    response = admin_client.get("/mail/outbox/999999")
    assert response.status_code == 404
    assert "There is no mail 999999." in response.get_data(as_text=True)


def test_failed_mail_can_be_queued_again(app: Flask, admin_client: FlaskClient) -> None:
    [mail] = queue_test_mails(1)
    db.session.execute(
        update(OutboxMail).values(state="failed", attempts=10, last_error="550 no such user")
    )
    db.session.commit()
    page = admin_client.get(f"/mail/outbox/{mail.id}").get_data(as_text=True)
    assert "550 no such user" in page
    assert "Queue again" in page
    response = admin_client.post(f"/mail/outbox/{mail.id}/requeue")
    assert response.headers["Location"] == f"/mail/outbox/{mail.id}"
    [again] = all_mails()
    assert (again.state, again.attempts) == ("queued", 0)
    second = admin_client.post(f"/mail/outbox/{mail.id}/requeue")
    assert second.status_code == 302
    with admin_client.session_transaction() as session:
        assert session["_flashes"][-1][1] == (
            f"Mail {mail.id} is queued; only failed mail can be queued again."
        )


def test_mail_html_part_is_shown_without_script_or_style(app: Flask) -> None:
    cleaned = str(
        clean_mail_html(
            '<p style="color:red" onclick="x()">Hi <a href="javascript:alert(1)">bad</a> '
            '<a href="https://example.org/">ok</a></p><script>alert(1)</script>'
        )
    )
    assert "style" not in cleaned and "onclick" not in cleaned and "script" not in cleaned
    assert '<a href="https://example.org/" rel="noopener noreferrer">ok</a>' in cleaned


def test_linkify_escapes_text_and_links_urls() -> None:
    assert str(linkify("<b>x</b> see https://example.org/a?b=1&c=2 now")) == (
        '&lt;b&gt;x&lt;/b&gt; see <a href="https://example.org/a?b=1&amp;c=2">'
        "https://example.org/a?b=1&amp;c=2</a> now"
    )


def test_queue_mail_renders_text_and_html_and_fixes_message_id(app: Flask) -> None:
    mail = queue_mail(
        to=["a@example.org"],
        template="password_reset",
        context={"name": "A", "url": "http://localhost/account/reset/t", "valid_hours": 1},
    )
    assert mail.subject == "Reset your password"
    assert "http://localhost/account/reset/t" in mail.body_text
    assert '<a href="http://localhost/account/reset/t">Choose a new password</a>' in mail.body_html
    assert mail.message_id.startswith("<podium.") and mail.message_id.endswith("@localhost>")
    other = queue_mail(to=["b@example.org"], template="password_reset", context=mail.context)
    assert other.message_id != mail.message_id
