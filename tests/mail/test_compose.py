"""Writing to groups of speakers: groups, placeholders, one mail per speaker, preview, hold."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.extensions import db
from podium.mail.compose import Audience, render_speaker_mails
from podium.mail.emails import TextError
from podium.review.services import confirmation_link
from tests.mail.helpers import all_mails
from tests.review import conftest as review_conftest
from tests.review.conftest import World, bulk_submissions
from tests.support.auth import login
from tests.support.factories import RoomFactory, SlotFactory
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries

world = review_conftest.world  # the review tests' event, team, speakers and submissions


@pytest.fixture
def decided(world: World) -> World:
    """Alpha (speaker + co-speaker) accepted, Beta (speaker) confirmed in Room A on a Saturday
    morning in Brussels, Gamma (co-speaker, track B) rejected, "Own talk" submitted."""
    alpha, beta, gamma = world.subs
    alpha.state, beta.state, gamma.state = "accepted", "confirmed", "rejected"
    room = RoomFactory(event=world.event, name="Room A")
    SlotFactory(
        event=world.event,
        submission_id=beta.id,
        room_id=room.id,
        start_at=datetime(2031, 5, 17, 8, 0, tzinfo=UTC),
        end_at=datetime(2031, 5, 17, 8, 30, tzinfo=UTC),
    )
    db.session.commit()
    return world


def _mails(world: World, audience: Audience, subject: str, body: str) -> list[tuple]:
    return [
        (m.to, m.subject, m.body, m.submission_ids)
        for m in render_speaker_mails(
            event=world.event, audience=audience, subject=subject, body=body
        )
    ]


def test_one_mail_per_speaker_when_the_text_is_the_same(app: Flask, decided: World) -> None:
    w = decided
    alpha, beta = w.subs[0].id, w.subs[1].id
    mails = _mails(w, Audience("accepted"), "News from {event_name}", "Hi {speaker_name}!")
    # Ordered by address: wx-... (the co-speaker) before zq-... (the speaker).
    assert mails == [
        (w.co_speaker.email, "News from RevConf 2031", f"Hi {w.profiles['co'].name}!", [alpha]),
        (
            w.speaker.email,
            "News from RevConf 2031",
            f"Hi {w.profiles['speaker'].name}!",
            [alpha, beta],
        ),
    ]


def test_one_mail_per_proposal_when_the_text_names_it(app: Flask, decided: World) -> None:
    w = decided
    body = "{submission_title}: {session_day}, {session_time}, {session_room}"
    mails = _mails(w, Audience("accepted"), "About {submission_title}", body)
    alpha, beta = w.subs[0], w.subs[1]
    unscheduled = "Alpha talk: not scheduled yet, not scheduled yet, not scheduled yet"
    assert [(to, subject, text) for to, subject, text, _ in mails] == [
        (w.co_speaker.email, "About Alpha talk", unscheduled),
        (w.speaker.email, "About Alpha talk", unscheduled),
        (
            w.speaker.email,
            "About Beta talk",
            "Beta talk: Saturday 2031-05-17, 10:00\u201310:30 (Europe/Brussels), Room A",
        ),
    ]
    assert [ids for *_, ids in mails] == [[alpha.id], [alpha.id], [beta.id]]


def test_groups_tracks_and_hand_picked(app: Flask, decided: World) -> None:
    w = decided
    alpha, _beta, gamma = w.subs

    def recipients(audience: Audience) -> list[tuple[str, list[int]]]:
        return [(to, ids) for to, _, _, ids in _mails(w, audience, "S", "{submission_title}")]

    assert recipients(Audience("unconfirmed")) == [
        (w.co_speaker.email, [alpha.id]),
        (w.speaker.email, [alpha.id]),
    ]
    assert recipients(Audience("confirmed")) == [(w.speaker.email, [w.subs[1].id])]
    assert recipients(Audience("rejected", track_id=w.track_b.id)) == [
        (w.co_speaker.email, [gamma.id])
    ]
    assert recipients(Audience("rejected", track_id=w.track_a.id)) == []
    assert recipients(Audience("submitted")) == [(w.reviewer_speaker.email, [w.own.id])]
    assert recipients(Audience("picked", submission_ids=(gamma.id, w.own.id))) == [
        (w.reviewer_speaker.email, [w.own.id]),  # user<n>@example.org sorts first
        (w.co_speaker.email, [gamma.id]),
    ]


def test_confirmation_link_is_the_speakers_own(app: Flask, decided: World) -> None:
    w = decided
    [(_, _, body, _)] = _mails(w, Audience("confirmed"), "S", "{confirmation_link}")
    assert body == confirmation_link(w.event, w.subs[1].id)
    assert body.startswith("http://localhost/review/revconf/confirm/")


def test_unknown_placeholder_is_refused_before_rendering(app: Flask, decided: World) -> None:
    with pytest.raises(TextError) as caught:
        render_speaker_mails(
            event=decided.event, audience=Audience("accepted"), subject="{title}", body="x"
        )
    assert caught.value.field == "subject"
    assert str(caught.value).startswith("Unknown placeholder(s): {title}. Use {speaker_name},")


def _organizer(app: Flask, world: World) -> FlaskClient:
    return login(app.test_client(), world.organizer)


def test_preview_then_hold_puts_held_mails_in_the_outbox(app: Flask, decided: World) -> None:
    w = decided
    client = _organizer(app, w)
    form = {
        "group": "accepted",
        "track_id": "0",
        "session_type_id": "0",
        "subject": "Slides for {event_name}",
        "body": "Dear {speaker_name}, send slides.",
    }

    preview = client.post(
        f"/orga/{w.event.slug}/mail/compose", data={**form, "action": "preview"}
    ).get_data(as_text=True)

    assert '<h2 id="preview">Preview: 2 mail(s)</h2>' in preview
    assert re.findall(r"<strong>To:</strong> ([^<]*)</p>", preview) == [
        f"{w.profiles['co'].name} &lt;{w.co_speaker.email}&gt;",
        f"{w.profiles['speaker'].name} &lt;{w.speaker.email}&gt;",
    ]
    assert all_mails() == []

    held = client.post(f"/orga/{w.event.slug}/mail/compose", data={**form, "action": "hold"})

    assert held.headers["Location"] == f"/orga/{w.event.slug}/mail/?state=held"
    assert [
        (m.recipients, m.subject, m.body_text, m.state, m.kind, m.event_id) for m in all_mails()
    ] == [
        (
            [w.co_speaker.email],
            "Slides for RevConf 2031",
            f"Dear {w.profiles['co'].name}, send slides.",
            "held",
            "speaker_mail",
            w.event.id,
        ),
        (
            [w.speaker.email],
            "Slides for RevConf 2031",
            f"Dear {w.profiles['speaker'].name}, send slides.",
            "held",
            "speaker_mail",
            w.event.id,
        ),
    ]


def test_compose_form_errors_name_the_field(app: Flask, decided: World) -> None:
    client = _organizer(app, decided)
    url = f"/orga/{decided.event.slug}/mail/compose"
    base = {"track_id": "0", "session_type_id": "0", "subject": "S", "action": "hold"}

    unknown = client.post(url, data={**base, "group": "accepted", "body": "Hi {name}"})
    picked = client.post(url, data={**base, "group": "picked", "body": "Hi"})
    bad_group = client.post(url, data={**base, "group": "everyone", "body": "Hi"})

    assert unknown.status_code == picked.status_code == bad_group.status_code == 400
    assert '<p class="field-error" id="body-error">Unknown placeholder(s): {name}.' in (
        unknown.get_data(as_text=True)
    )
    assert "Tick at least one proposal, or choose another group." in picked.get_data(as_text=True)
    assert '<p class="field-error" id="group-error">Not a valid choice.</p>' in (
        bad_group.get_data(as_text=True)
    )
    assert all_mails() == []


def test_reminder_starts_from_the_events_text(app: Flask, decided: World) -> None:
    page = _organizer(app, decided).get(f"/orga/{decided.event.slug}/mail/compose?text=reminder")
    text = page.get_data(as_text=True)
    assert '<option selected value="unconfirmed">' in text
    assert 'value="{event_name}: please confirm “{submission_title}”"' in text


def test_permission_matrix_of_compose(app: Flask, decided: World) -> None:
    w = decided
    url = f"/orga/{w.event.slug}/mail/compose"
    check_matrix(
        app,
        {
            "anonymous": None,
            "outsider": w.outsider,
            "speaker": w.speaker,
            "reviewer": w.reviewer,
            "organizer": w.organizer,
            "admin": w.admin,
        },
        [
            Route("GET", url, allowed={"organizer", "admin"}),
            Route(
                "POST",
                url,
                data={"group": "accepted", "subject": "S", "body": "B", "action": "preview"},
                allowed={"organizer", "admin"},
            ),
        ],
    )


def test_preview_query_count_does_not_grow_with_the_group(app: Flask, world: World) -> None:
    client = _organizer(app, world)
    url = f"/orga/{world.event.slug}/mail/compose"
    form = {
        "group": "submitted",
        "subject": "S",
        "body": "{speaker_name} {submission_title} {session_day}",
        "action": "preview",
    }
    bulk_submissions(world.event, 3, speakers_each=2)
    client.post(url, data=form)
    with count_queries() as small:
        small_page = client.post(url, data=form).get_data(as_text=True)
    bulk_submissions(world.event, 30, speakers_each=2)
    client.post(url, data=form)
    with count_queries() as large:
        large_page = client.post(url, data=form).get_data(as_text=True)
    previews = re.compile(r'<h2 id="preview">Preview: (\d+) mail\(s\)</h2>')
    # The world's four submitted proposals have five (speaker, proposal) pairs; each bulk
    # proposal adds two; every text names its proposal, so no two pairs share a mail.
    assert previews.findall(small_page) == [str(5 + 3 * 2)]
    assert previews.findall(large_page) == [str(5 + 33 * 2)]
    assert large.count == small.count
