"""Decisions without surprises: speakers see an accept/reject only once its mail goes out,
or when the organizer releases without mail. Tested from the speaker's side."""

from __future__ import annotations

import lxml.html
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.extensions import db
from podium.mail.models import OutboxMail
from podium.review import services
from podium.review.enums import DecisionKind
from tests.review.conftest import World
from tests.support.auth import login


def _client(app: Flask, user) -> FlaskClient:  # type: ignore[no-untyped-def]
    return login(app.test_client(), user)


def _decide(world: World, sub, kind: DecisionKind) -> None:  # type: ignore[no-untyped-def]
    services.set_decisions(
        event=world.event, actor=world.organizer, submission_ids=[sub.id], decision=kind
    )


def _speaker_view(app: Flask, world: World, sub) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What the speaker sees of ``sub``: state on each page, confirm form, confirm link status."""
    client = _client(app, world.speaker)
    slug = world.event.slug
    mine = lxml.html.fromstring(client.get(f"/{slug}/me/").get_data(as_text=True))
    (row,) = [r for r in mine.xpath("//tbody/tr") if sub.title in r.text_content()]
    edit = lxml.html.fromstring(
        client.get(f"/{slug}/me/submissions/{sub.id}/edit").get_data(as_text=True)
    )
    account = lxml.html.fromstring(client.get("/account/").get_data(as_text=True))
    (account_row,) = [r for r in account.xpath("//tbody/tr") if sub.title in r.text_content()]
    token = services.make_confirmation_token(sub.id, world.event.id)
    return {
        "my submissions": row.xpath(".//span[contains(@class,'badge')]/text()"),
        "confirm buttons": row.xpath(".//button[@name='answer']/text()"),
        "edit page": edit.xpath("//p[starts-with(normalize-space(.),'State:')]/span/text()"),
        "account": account_row.xpath(".//span[@class='badge']/text()"),
        "confirm link": client.get(f"/review/{slug}/confirm/{token}").status_code,
    }


HIDDEN = {
    "my submissions": ["submitted"],
    "confirm buttons": [],
    "edit page": ["submitted"],
    "account": ["submitted"],
    "confirm link": 404,
}


def test_released_acceptance_hidden_until_its_mail_is_sent(app: Flask, world: World) -> None:
    sub = world.subs[1]
    _decide(world, sub, DecisionKind.ACCEPT)
    services.release_decisions(event=world.event, actor=world.organizer)
    db.session.refresh(sub)
    assert sub.state == "accepted"  # organizers see it (ranking, schedule) at once
    assert _speaker_view(app, world, sub) == HIDDEN
    answer = _client(app, world.speaker).post(
        f"/review/{world.event.slug}/submissions/{sub.id}/answer", data={"answer": "confirmed"}
    )
    assert answer.status_code == 409
    assert "has not been accepted" in answer.get_data(as_text=True)

    sent = _client(app, world.organizer).post(f"/orga/{world.event.slug}/decisions/mails/send")
    assert sent.status_code == 302
    assert _speaker_view(app, world, sub) == {
        "my submissions": ["accepted"],
        "confirm buttons": ["Confirm: I will present it", "Decline"],
        "edit page": ["accepted"],
        "account": ["accepted"],
        "confirm link": 200,
    }


def test_release_without_mail_shows_decision_at_once_and_holds_no_mail(
    app: Flask, world: World
) -> None:
    sub = world.subs[1]
    _decide(world, sub, DecisionKind.REJECT)
    response = _client(app, world.organizer).post(
        f"/orga/{world.event.slug}/decisions/release",
        data={"without_mail": "1"},
        follow_redirects=True,
    )
    assert "1 decision(s) released without mail; speakers see them now." in response.get_data(
        as_text=True
    )
    assert db.session.scalars(select(OutboxMail)).all() == []
    view = _speaker_view(app, world, sub)
    assert (view["my submissions"], view["edit page"], view["account"]) == (
        ["rejected"],
        ["rejected"],
        ["rejected"],
    )


def test_discarded_mails_keep_decision_hidden_until_announced(app: Flask, world: World) -> None:
    sub = world.subs[1]
    _decide(world, sub, DecisionKind.ACCEPT)
    services.release_decisions(event=world.event, actor=world.organizer)
    organizer = _client(app, world.organizer)
    slug = world.event.slug
    (mail,) = db.session.scalars(select(OutboxMail)).all()
    organizer.post(f"/orga/{slug}/decisions/mails/{mail.id}/discard")
    # Held mails live in the event's outbox; the announce button is on the decisions page.
    page = organizer.get(f"/orga/{slug}/decisions").get_data(as_text=True)
    assert lxml.html.fromstring(page).xpath(
        "//form[contains(@action,'announce')]//button/text()"
    ) == ["Show 1 released decision(s) to the speakers without mail"]
    assert _speaker_view(app, world, sub) == HIDDEN

    announced = organizer.post(f"/orga/{slug}/decisions/announce", follow_redirects=True)
    assert "1 decision(s) are now visible to their speakers, without mail." in (
        announced.get_data(as_text=True)
    )
    assert _speaker_view(app, world, sub)["my submissions"] == ["accepted"]
    page = organizer.get(f"/orga/{slug}/decisions").get_data(as_text=True)
    assert lxml.html.fromstring(page).xpath("//form[contains(@action,'announce')]") == []


def test_later_release_that_changes_nothing_keeps_announced_decision_visible(
    app: Flask, world: World
) -> None:
    sub = world.subs[1]
    _decide(world, sub, DecisionKind.ACCEPT)
    services.release_decisions(event=world.event, actor=world.organizer)
    services.send_held_mails(event=world.event)
    # A second thought, taken back: the release finds a cleared decision and changes nothing.
    _decide(world, sub, DecisionKind.REJECT)
    services.set_decisions(
        event=world.event, actor=world.organizer, submission_ids=[sub.id], decision=None
    )
    services.release_decisions(event=world.event, actor=world.organizer)
    assert _speaker_view(app, world, sub)["my submissions"] == ["accepted"]


def test_changed_decision_hidden_again_until_its_new_mail_goes_out(
    app: Flask, world: World
) -> None:
    sub = world.subs[1]
    _decide(world, sub, DecisionKind.REJECT)
    services.release_decisions(event=world.event, actor=world.organizer)
    services.send_held_mails(event=world.event)
    assert _speaker_view(app, world, sub)["my submissions"] == ["rejected"]
    _decide(world, sub, DecisionKind.ACCEPT)
    services.release_decisions(event=world.event, actor=world.organizer)
    assert _speaker_view(app, world, sub) == HIDDEN
    services.send_held_mails(event=world.event)
    assert _speaker_view(app, world, sub)["my submissions"] == ["accepted"]


def test_announce_is_for_organizers_only(app: Flask, world: World) -> None:
    url = f"/orga/{world.event.slug}/decisions/announce"
    assert _client(app, world.reviewer).post(url).status_code == 403
    assert _client(app, world.speaker).post(url).status_code == 403
    anonymous = app.test_client().post(url)
    assert (anonymous.status_code, "/account/login" in anonymous.headers["Location"]) == (
        302,
        True,
    )


def test_withdrawing_a_hidden_rejection_does_not_tell_it(app: Flask, world: World) -> None:
    sub = world.subs[1]
    _decide(world, sub, DecisionKind.REJECT)
    services.release_decisions(event=world.event, actor=world.organizer)
    client = _client(app, world.speaker)
    url = f"/{world.event.slug}/me/submissions/{sub.id}/withdraw"

    page = lxml.html.fromstring(client.get(url).get_data(as_text=True))
    posted = client.post(url, data={"confirm": "withdraw"}, follow_redirects=True)

    assert page.xpath("//main//p[contains(., 'withdrawn')]/text()") == [
        "This proposal cannot be withdrawn now: please write to the organizers."
    ]
    flashes = lxml.html.fromstring(posted.get_data(as_text=True)).xpath(
        "//*[contains(@class,'flashes')]//text()[normalize-space()]"
    )
    assert [t.strip() for t in flashes] == [
        "This proposal cannot be withdrawn now: please write to the organizers."
    ]
    db.session.refresh(sub)
    assert sub.state == "rejected"
