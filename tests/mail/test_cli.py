"""``podium mail list`` and ``podium mail show`` through Flask's CLI runner."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import update

from podium.cli import cli
from podium.extensions import db
from podium.mail.models import OutboxMail
from tests.mail.helpers import queue_test_mails


def _run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(cli, list(args))


def test_mail_list_shows_newest_first_with_counts(app: Flask) -> None:
    first, second = queue_test_mails(2)
    db.session.execute(
        update(OutboxMail).where(OutboxMail.id == first.id).values(state="sent", attempts=1)
    )
    db.session.commit()
    result = _run(app, "mail", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "STATE", "TRIES", "CREATED", "(UTC)", "TO", "/", "SUBJECT"]
    assert lines[1].split()[:3] == [str(second.id), "queued", "0"]
    assert lines[1].endswith("person1@example.org / Your password has been changed")
    assert lines[2].split()[:3] == [str(first.id), "sent", "1"]
    assert lines[3] == "1 queued; 1 sent"


def test_mail_list_filters_by_state(app: Flask) -> None:
    queue_test_mails(1)
    assert _run(app, "mail", "list", "--state", "failed").output == "No failed mail.\n"
    bad = _run(app, "mail", "list", "--state", "lost")
    assert bad.exit_code == 2
    assert "Invalid value for '--state': 'lost' is not one of" in bad.output


def test_mail_list_on_empty_outbox(app: Flask) -> None:
    assert _run(app, "mail", "list").output == "The outbox is empty.\n"


def test_mail_show_prints_headers_and_text(app: Flask) -> None:
    [mail] = queue_test_mails(1)
    result = _run(app, "mail", "show", str(mail.id))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Mail {mail.id}: queued, 0 attempt(s)"
    assert lines[1] == f"Message-ID: {mail.message_id}"
    assert lines[2] == "From: Podium <podium@localhost>"
    assert lines[3] == "To: person0@example.org"
    assert lines[4] == "Subject: Your password has been changed"
    assert "If you did not do this, reset your password now: http://localhost/account/reset" in (
        result.output
    )


def test_mail_show_unknown_id_names_the_argument(app: Flask) -> None:
    result = _run(app, "mail", "show", "4242")
    assert result.exit_code == 2
    assert "Invalid value for ID: no mail with id 4242" in result.output
