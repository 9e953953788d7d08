"""Attacks on a stranger's inbox: each flow that mails a typed-in address, repeated.

Every kind of mail to one address is capped per clock hour (``MAIL_PER_RECIPIENT_PER_HOUR``),
counted in the database under the address's canonical form; the person triggering the mail
sees the usual answer either way.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.extensions import db
from podium.mail.caps import canonical_address, take_mail_allowance
from podium.mail.enums import MailState
from podium.mail.models import MailRecipientCount, OutboxMail
from podium.mail.services import queue_mail
from podium.review import services as review_services
from podium.review.enums import DecisionKind
from tests.support.auth import login
from tests.support.factories import (
    DEFAULT_PASSWORD,
    EventFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)

CAP = 4


@pytest.fixture
def app_config() -> dict[str, object]:
    # Client-address limits high, so only the per-recipient cap can stop these attacks.
    return {
        "MAIL_PER_RECIPIENT_PER_HOUR": CAP,
        "SIGNUP_RATE_LIMIT": "1000 per minute",
        "RESET_RATE_LIMIT": "1000 per minute",
        "RESET_PER_ADDRESS_RATE_LIMIT": "1000 per hour",
        "RESET_MIN_SECONDS": 0,
    }


def _outbox() -> list[tuple[list[str], str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    return [(m.recipients, m.kind, m.state) for m in rows]


def _states_to(address: str) -> list[str]:
    return [state for recipients, _, state in _outbox() if recipients == [address]]


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("someone@\uff45xample.org", "someone@example.org"),
        ("SomeOne@Example.ORG", "someone@example.org"),
        (" someone@example.org. ", "someone@example.org"),
        ("some\u200bone@example.org", "someone@example.org"),
        ("someone+flood7@example.org", "someone@example.org"),
        ('"someone"@example.org', "someone@example.org"),
        (
            "\uff53\uff4f\uff4d\uff45\uff4f\uff4e\uff45\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff4f\uff52\uff47",
            "someone@example.org",
        ),
        ("S.o.m.e.o.n.e@googlemail.com", "someone@gmail.com"),
        ("someone@bücher.example", "someone@xn--bcher-kva.example"),
        ("someone@XN--BCHER-KVA.example", "someone@xn--bcher-kva.example"),
        ("some.one@example.org", "some.one@example.org"),
    ],
)
def test_canonical_address_joins_spellings_of_one_mailbox(variant: str, canonical: str) -> None:
    assert canonical_address(variant) == canonical


def test_signups_with_an_existing_address_mail_its_owner_at_most_cap_times(
    app: Flask, client: FlaskClient
) -> None:
    UserFactory(email="owner@example.org")
    answers = []
    for i in range(CAP + 3):
        response = client.post(
            "/account/signup",
            data={
                "email": "owner@example.org",
                "name": f"Try {i}",
                "password": "another long password",
                "password_repeat": "another long password",
            },
        )
        answers.append((response.status_code, response.headers["Location"]))
    # The answer never changes (it must not tell that the address has an account)...
    assert answers == [(302, "/account/login")] * (CAP + 3)
    # ...but only CAP mails go out; the rest are kept, failed, for the operator to see.
    assert _states_to("owner@example.org") == ["queued"] * CAP + ["failed"] * 3
    failed = db.session.scalars(
        select(OutboxMail).where(OutboxMail.state == MailState.FAILED)
    ).first()
    assert failed.last_error == (
        "not sent to 1 recipient(s): more than 4 mails in this hour (MAIL_PER_RECIPIENT_PER_HOUR)"
    )


def test_signups_of_a_new_address_do_not_answer_differently_when_capped(
    app: Flask, client: FlaskClient
) -> None:
    # Someone signs up the stranger's address again and again: confirmation links each time.
    codes = [
        client.post(
            "/account/signup",
            data={
                "email": "stranger@example.org",
                "name": "Flood",
                "password": "another long password",
                "password_repeat": "another long password",
            },
        ).status_code
        for _ in range(CAP + 2)
    ]
    assert codes == [302] * (CAP + 2)
    assert _states_to("stranger@example.org") == ["queued"] * CAP + ["failed"] * 2


def test_email_change_confirmations_to_a_stranger_are_capped(
    app: Flask, client: FlaskClient
) -> None:
    attacker = UserFactory(email="attacker@example.org", name="Mallory")
    login(client, attacker)
    flashes = []
    for _ in range(CAP + 6):
        response = client.post(
            "/account/profile", data={"name": "Mallory", "email": "stranger@example.org"}
        )
        assert response.status_code == 302
        with client.session_transaction() as session:
            flashes.append(session.pop("_flashes"))
    # The attacker sees the same "we have sent a link" every time.
    assert flashes == [
        [
            (
                "success",
                "We have sent a confirmation link to stranger@example.org; your address "
                "changes once you open it.",
            )
        ]
    ] * (CAP + 6)
    assert _states_to("stranger@example.org") == ["queued"] * CAP + ["failed"] * 6


def test_full_width_spelling_counts_against_the_reset_limit(
    app: Flask, client: FlaskClient
) -> None:
    app.config["RESET_PER_ADDRESS_RATE_LIMIT"] = "3 per hour"
    UserFactory(email="someone@example.org")
    spellings = [
        "someone@example.org",
        "SOMEONE@example.org",
        "someone@\uff45xample.org",
        "someone@\uff45xample.org",
        "someone@example.org.",
    ]
    codes = [
        client.post("/account/reset", data={"email": address}).status_code for address in spellings
    ]
    assert codes == [200, 200, 200, 429, 429]
    assert _states_to("someone@example.org") == ["queued"] * 3


def test_every_kind_of_mail_shares_one_count_per_address(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(email="someone@example.org")
    # Two account mails by the owner's own actions...
    client.post("/account/reset", data={"email": "someone@example.org"})
    login(client, user)
    client.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "password": "a new long password",
            "password_repeat": "a new long password",
        },
    )
    # ...and then mails addressed with spelling variants of the same mailbox.
    for spelling in ("Someone+a@example.org", "someone@\uff45xample.org", "SOMEONE@EXAMPLE.ORG"):
        queue_mail(to=[spelling], template="password_changed", context={"name": ""})
    assert [(kind, state) for _, kind, state in _outbox()] == [
        ("password_reset", "queued"),
        ("password_changed", "queued"),
        ("password_changed", "queued"),
        ("password_changed", "queued"),
        ("password_changed", "failed"),
    ]


def test_a_mail_to_several_recipients_leaves_out_only_the_capped_one(app: Flask) -> None:
    for _ in range(CAP):
        queue_mail(to=["full@example.org"], template="password_changed", context={"name": ""})
    mail = queue_mail(
        to=["full@example.org", "fresh@example.org"],
        template="password_changed",
        context={"name": ""},
    )
    assert (mail.recipients, mail.state, mail.last_error) == (["fresh@example.org"], "queued", "")


def test_the_count_starts_again_each_hour_and_forgets_past_hours(app: Flask) -> None:
    start = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
    allowed = [
        take_mail_allowance("someone@example.org", now=start + timedelta(minutes=10 * i))
        for i in range(CAP + 1)
    ]
    assert allowed == [True] * CAP + [False]
    assert take_mail_allowance("someone@example.org", now=start + timedelta(hours=1)) is True
    db.session.commit()
    rows = db.session.execute(select(MailRecipientCount.hour, MailRecipientCount.count)).all()
    assert rows == [(int((start + timedelta(hours=1)).timestamp() // 3600), 1)]


def test_decision_mails_released_by_organizers_are_not_capped(app: Flask) -> None:
    # A busy speaker with more proposals than the cap: the organizers' decision mails (their
    # own flow, released by them to their own speakers) all go out.
    event = EventFactory()
    organizer = UserFactory()
    speaker = SpeakerProfileFactory(user=UserFactory(email="busy@example.org"))
    ids = [SubmissionFactory(event=event, speaker=speaker).id for _ in range(CAP + 2)]
    review_services.set_decisions(
        event=event, actor=organizer, submission_ids=ids, decision=DecisionKind.ACCEPT
    )
    review_services.release_decisions(event=event, actor=organizer)
    assert review_services.send_held_mails(event=event) == CAP + 2
    assert _states_to("busy@example.org") == ["queued"] * (CAP + 2)
    assert db.session.scalars(select(MailRecipientCount)).all() == []
