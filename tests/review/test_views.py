"""Review pages: permission matrix, anonymisation, conflicts by URL, ranking, decisions flow."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.cfp.models import SubmissionStateChange
from podium.extensions import db
from podium.mail.models import OutboxMail
from podium.review import services
from podium.review.enums import DecisionKind
from podium.review.models import (
    Review,
    ReviewConflict,
    ReviewerAssignment,
    ReviewScore,
    ScoreCategory,
)
from tests.review.conftest import (
    CO_SPEAKER_EMAIL,
    CO_SPEAKER_NAME,
    SPEAKER_AVATAR,
    SPEAKER_BIO,
    SPEAKER_EMAIL,
    SPEAKER_NAME,
    World,
    bulk_submissions,
)
from tests.support.auth import login
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries

ORGA = {"organizer", "admin"}
FIXED_ID = 987654  # rows a matrix route deletes are recreated with this id before each request


def _users(world: World) -> dict[str, object]:
    return {
        "anonymous": None,
        "outsider": world.outsider,
        "speaker": world.speaker,
        "reviewer": world.reviewer,
        "unassigned_reviewer": world.other_reviewer,
        "organizer": world.organizer,
        "admin": world.admin,
    }


def _client(app: Flask, user) -> FlaskClient:  # type: ignore[no-untyped-def]
    return login(app.test_client(), user)


def _recreate_assignment(world: World) -> None:
    if db.session.get(ReviewerAssignment, FIXED_ID) is None:
        db.session.add(
            ReviewerAssignment(
                id=FIXED_ID, event_id=world.event.id, reviewer_id=world.other_reviewer.id
            )
        )
        db.session.commit()


def _recreate_held_mail(world: World) -> None:
    if db.session.get(OutboxMail, FIXED_ID) is None:
        db.session.add(
            OutboxMail(
                id=FIXED_ID,
                event_id=world.event.id,
                recipients=["x@example.org"],
                subject="s",
                body_text="b",
                kind="review_decision",
                context={"subject": "s", "body": "b"},
                state="held",
            )
        )
        db.session.commit()


def _clear_conflicts() -> None:
    db.session.execute(ReviewConflict.__table__.delete())
    db.session.commit()


def test_permission_matrix_every_route(app: Flask, world: World) -> None:
    slug = world.event.slug
    sub = world.subs[0]
    accepted = world.subs[1]
    accepted.state = "accepted"
    db.session.commit()
    token = services.make_confirmation_token(accepted.id, world.event.id)
    reviewers = {"reviewer", "unassigned_reviewer"}
    hidden = (403, 404)
    check_matrix(
        app,
        _users(world),
        [
            Route("GET", f"/review/{slug}/", allowed=reviewers),
            Route("GET", f"/review/{slug}/submissions.csv", allowed=reviewers),
            Route("GET", f"/review/{slug}/submissions.json", allowed=reviewers),
            Route("GET", f"/review/{slug}/{sub.id}", allowed={"reviewer"}, denied_status=hidden),
            Route(
                "POST",
                f"/review/{slug}/{sub.id}",
                data={"score": "2", "comment": "ok"},
                allowed={"reviewer"},
                denied_status=hidden,
            ),
            Route(
                "POST",
                f"/review/{slug}/{sub.id}/conflict",
                data={"reason": "friend"},
                allowed={"reviewer"},
                denied_status=hidden,
                setup=_clear_conflicts,
            ),
            Route("GET", f"/orga/{slug}/review/", allowed=ORGA),
            Route(
                "POST",
                f"/orga/{slug}/review/settings",
                data={"score_min": "0", "score_max": "3", "score_labels": "3 = Great"},
                allowed=ORGA,
            ),
            Route(
                "POST",
                f"/orga/{slug}/review/assignments",
                data={"reviewer_id": str(world.other_reviewer.id), "scope": "all"},
                allowed=ORGA,
            ),
            Route(
                "POST",
                f"/orga/{slug}/review/assignments/{FIXED_ID}/delete",
                allowed=ORGA,
                setup=lambda: _recreate_assignment(world),
            ),
            Route("GET", f"/orga/{slug}/ranking", allowed=ORGA),
            Route("GET", f"/orga/{slug}/ranking.csv", allowed=ORGA),
            # dash: every review (scores and comments) is for organizers only.
            Route("GET", f"/orga/{slug}/ranking?detail=1", allowed=ORGA),
            Route("GET", f"/orga/{slug}/ranking.csv?detail=1", allowed=ORGA),
            Route("GET", f"/orga/{slug}/submissions/{sub.id}", allowed=ORGA),
            Route("GET", f"/orga/{slug}/decisions", allowed=ORGA),
            Route(
                "POST",
                f"/orga/{slug}/decisions",
                data={"submission_ids": [str(world.subs[2].id)], "decision": "rejected"},
                allowed=ORGA,
            ),
            Route(
                "POST",
                f"/orga/{slug}/decisions/templates",
                data={"kind": "reject", "reject-subject": "No", "reject-body": "Sorry"},
                allowed=ORGA,
            ),
            Route("POST", f"/orga/{slug}/decisions/release", allowed=ORGA),
            Route("GET", f"/orga/{slug}/decisions/mails", allowed=ORGA),
            Route(
                "POST",
                f"/orga/{slug}/decisions/mails/{FIXED_ID}",
                data={f"m{FIXED_ID}-subject": "S2", f"m{FIXED_ID}-body": "B2"},
                allowed=ORGA,
                setup=lambda: _recreate_held_mail(world),
            ),
            Route(
                "POST",
                f"/orga/{slug}/decisions/mails/{FIXED_ID}/discard",
                allowed=ORGA,
                setup=lambda: _recreate_held_mail(world),
            ),
            Route("POST", f"/orga/{slug}/decisions/mails/send", allowed=ORGA),
            Route("POST", f"/orga/{slug}/decisions/announce", allowed=ORGA),  # dash
            Route("GET", f"/review/{slug}/confirm/{token}", allowed={"speaker"}),
            Route(
                "POST",
                f"/review/{slug}/confirm/{token}",
                data={"answer": "confirmed"},
                allowed={"speaker"},
            ),
            Route(
                "POST",
                f"/review/{slug}/submissions/{accepted.id}/answer",
                data={"answer": "declined"},
                allowed={"speaker"},
            ),
        ],
    )


def test_routes_unknown_event_404(app: Flask, world: World) -> None:
    client = _client(app, world.admin)
    for url in ("/orga/nope/ranking", "/orga/nope/decisions", "/orga/nope/review/"):
        assert client.get(url).status_code == 404


# --- anonymisation ------------------------------------------------------------------------------

_SECRETS = (
    SPEAKER_NAME,
    SPEAKER_EMAIL,
    SPEAKER_BIO,
    SPEAKER_AVATAR,
    CO_SPEAKER_NAME,
    CO_SPEAKER_EMAIL,
)


def _reviewer_bodies(app: Flask, world: World) -> dict[str, str]:
    """Every response a reviewer can reach, by label: pages, exports, forms with errors."""
    client = _client(app, world.reviewer)
    slug = world.event.slug
    bodies: dict[str, str] = {}

    def grab(label: str, response) -> None:  # type: ignore[no-untyped-def]
        bodies[label] = response.get_data(as_text=True)

    grab("list", client.get(f"/review/{slug}/"))
    grab("csv", client.get(f"/review/{slug}/submissions.csv"))
    grab("json", client.get(f"/review/{slug}/submissions.json"))
    for sub in world.subs:
        grab(f"show {sub.id}", client.get(f"/review/{slug}/{sub.id}"))
        grab(f"bad score {sub.id}", client.post(f"/review/{slug}/{sub.id}", data={"score": "99"}))
        grab(
            f"saved {sub.id}",
            client.post(
                f"/review/{slug}/{sub.id}",
                data={"score": "2", "comment": "ok"},
                follow_redirects=True,
            ),
        )
    grab("hidden", client.get(f"/review/{slug}/{world.subs[0].id + 1000}"))
    grab(
        "conflict",
        client.post(f"/review/{slug}/{world.subs[2].id}/conflict", follow_redirects=True),
    )
    grab("orga refused", client.get(f"/orga/{slug}/ranking"))
    return bodies


def test_anonymised_review_no_speaker_data_in_any_reviewer_response(
    app: Flask, world: World
) -> None:
    world.event.anonymised_review = True
    db.session.commit()
    bodies = _reviewer_bodies(app, world)
    assert len(bodies) >= 14
    leaks = [
        f"{label}: {secret!r}"
        for label, body in bodies.items()
        for secret in _SECRETS
        if secret.lower() in body.lower()
    ]
    assert leaks == []
    exported = json.loads(bodies["json"])
    assert exported["anonymised"] is True
    assert {tuple(s["speakers"]) for s in exported["submissions"]} == {()}
    assert "Alpha talk" in bodies["list"]  # the scan looked at real content


def test_not_anonymised_shows_names_never_emails(app: Flask, world: World) -> None:
    bodies = _reviewer_bodies(app, world)
    assert SPEAKER_NAME in bodies[f"show {world.subs[0].id}"]
    assert CO_SPEAKER_NAME in bodies["csv"]
    emails = [
        label
        for label, body in bodies.items()
        if SPEAKER_EMAIL in body or CO_SPEAKER_EMAIL in body or SPEAKER_AVATAR in body
    ]
    assert emails == []


# --- conflicts -----------------------------------------------------------------------------------


def test_speaker_reviewer_cannot_see_or_score_own_submission_by_url(
    app: Flask, world: World
) -> None:
    client = _client(app, world.reviewer_speaker)
    slug = world.event.slug
    listing = client.get(f"/review/{slug}/").get_data(as_text=True)
    exported = client.get(f"/review/{slug}/submissions.json").get_json()
    assert "Own talk" not in listing
    assert world.own.id not in {s["id"] for s in exported["submissions"]}
    assert client.get(f"/review/{slug}/{world.own.id}").status_code == 404
    post = client.post(f"/review/{slug}/{world.own.id}", data={"score": "3", "comment": "mine"})
    assert post.status_code == 404
    conflict = client.post(f"/review/{slug}/{world.own.id}/conflict", data={"reason": "x"})
    assert conflict.status_code == 404
    assert db.session.scalars(select(Review)).all() == []


def test_declared_conflict_hides_submission_and_url_404(app: Flask, world: World) -> None:
    client = _client(app, world.reviewer)
    slug = world.event.slug
    sub = world.subs[1]
    client.post(f"/review/{slug}/{sub.id}", data={"score": "1"})
    response = client.post(f"/review/{slug}/{sub.id}/conflict", data={"reason": "colleague"})
    assert response.status_code == 302
    assert client.get(f"/review/{slug}/{sub.id}").status_code == 404
    assert "Beta talk" not in client.get(f"/review/{slug}/").get_data(as_text=True)
    assert db.session.scalars(select(Review)).all() == []


def test_reviewer_of_other_event_gets_404_for_guessed_id(app: Flask, world: World) -> None:
    client = _client(app, world.other_reviewer)
    for sub in world.subs:
        assert client.get(f"/review/{world.event.slug}/{sub.id}").status_code == 404


# --- reviewing -----------------------------------------------------------------------------------


def test_review_form_shows_labels_and_saves(app: Flask, world: World) -> None:
    world.event.score_labels = {"3": "Must have"}
    db.session.commit()
    client = _client(app, world.reviewer)
    url = f"/review/{world.event.slug}/{world.subs[0].id}"
    assert "3 · Must have" in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"score": "3", "comment": " fine "}).status_code == 302
    review = db.session.scalars(select(Review)).one()
    assert (review.comment, review.reviewer_id) == ("fine", world.reviewer.id)
    # The event's implicit category was stored with the event's scale and labels.
    stored = db.session.execute(
        select(
            ScoreCategory.name,
            ScoreCategory.score_min,
            ScoreCategory.score_max,
            ScoreCategory.labels,
            ReviewScore.value,
        )
        .join(ReviewScore, ReviewScore.category_id == ScoreCategory.id)
        .where(ReviewScore.review_id == review.id)
    ).all()
    assert [tuple(row) for row in stored] == [("Overall", 0, 3, {"3": "Must have"}, 3)]


def test_review_after_close_refused_with_message(app: Flask, world: World) -> None:
    world.event.review_closes_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    client = _client(app, world.reviewer)
    url = f"/review/{world.event.slug}/{world.subs[0].id}"
    assert "The review phase has closed" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"score": "2"})
    assert response.status_code == 400
    assert "the review phase has closed" in response.get_data(as_text=True)


# --- settings and assignments ------------------------------------------------------------------


def test_settings_closing_instant_read_in_event_zone(app: Flask, world: World) -> None:
    client = _client(app, world.organizer)
    response = client.post(
        f"/orga/{world.event.slug}/review/settings",
        data={
            "anonymised_review": "y",
            "review_closes_at": "2031-07-01T18:00",
            "score_min": "-2",
            "score_max": "2",
            "score_labels": "-2 = Reject\n2 = Accept",
        },
    )
    assert response.status_code == 302
    db.session.refresh(world.event)
    # Brussels is UTC+2 in July.
    assert world.event.review_closes_at == datetime(2031, 7, 1, 16, 0, tzinfo=UTC)
    assert world.event.anonymised_review is True
    assert world.event.score_labels == {"-2": "Reject", "2": "Accept"}
    page = client.get(f"/orga/{world.event.slug}/review/").get_data(as_text=True)
    assert 'value="2031-07-01T18:00"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"review_closes_at": "2031-03-30T02:30"}, "does not exist in Europe/Brussels"),
        ({"review_closes_at": "tomorrow"}, "use the form YYYY-MM-DDTHH:MM"),
        ({"review_closes_at": "0001-01-01T00:00"}, "enter a year between 1900 and 2999"),
        ({"review_closes_at": "9999-12-31T23:59"}, "enter a year between 1900 and 2999"),
        (
            {"score_min": "100000000000000000000", "score_max": "100000000000000000003"},
            "Number must be between -1000 and 1000.",
        ),
        ({"score_max": "0"}, "the lowest score must be below the highest"),
        ({"score_labels": "great"}, "line 1: write it as"),
        ({"score_labels": "9 = Nine"}, "labels for values outside the scale: [9]"),
    ],
)
def test_settings_bad_input_400_names_problem(
    app: Flask, world: World, data: dict[str, str], message: str
) -> None:
    form = {"score_min": "0", "score_max": "3", **data}
    response = _client(app, world.organizer).post(
        f"/orga/{world.event.slug}/review/settings", data=form
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    db.session.refresh(world.event)
    assert (world.event.score_min, world.event.score_max) == (0, 3)


@pytest.mark.parametrize("decision", [" ", "bogus"])
def test_decisions_with_unknown_decision_is_400(app: Flask, world: World, decision: str) -> None:
    response = _client(app, world.organizer).post(
        f"/orga/{world.event.slug}/decisions",
        data={"submission_ids": [str(world.subs[0].id)], "decision": decision},
    )
    assert response.status_code == 400
    assert "choose a decision and at least one submission" in response.get_data(as_text=True)
    db.session.refresh(world.subs[0])
    assert world.subs[0].pending_state is None


def test_decisions_with_huge_submission_id_is_400(app: Flask, world: World) -> None:
    response = _client(app, world.organizer).post(
        f"/orga/{world.event.slug}/decisions",
        data={"submission_ids": ["99999999999999999999999"], "decision": "accepted"},
    )
    assert response.status_code == 400
    assert "choose a decision and at least one submission" in response.get_data(as_text=True)


def test_assignment_by_track_via_page(app: Flask, world: World) -> None:
    client = _client(app, world.organizer)
    response = client.post(
        f"/orga/{world.event.slug}/review/assignments",
        data={
            "reviewer_id": str(world.other_reviewer.id),
            "scope": "track",
            "track_id": str(world.track_b.id),
        },
    )
    assert response.status_code == 302
    page = client.get(f"/orga/{world.event.slug}/review/").get_data(as_text=True)
    assert "track: Track B" in page
    listing = _client(app, world.other_reviewer).get(f"/review/{world.event.slug}/")
    titles = re.findall(r">(\w+ talk)</a>", listing.get_data(as_text=True))
    assert titles == ["Gamma talk"]


def test_assignment_refuses_non_reviewer_and_foreign_track(app: Flask, world: World) -> None:
    client = _client(app, world.organizer)
    url = f"/orga/{world.event.slug}/review/assignments"
    bad_user = client.post(url, data={"reviewer_id": str(world.outsider.id), "scope": "all"})
    assert bad_user.status_code == 400
    no_track = client.post(
        url, data={"reviewer_id": str(world.other_reviewer.id), "scope": "track", "track_id": "0"}
    )
    assert no_track.status_code == 400
    assert "choose a track of this event" in no_track.get_data(as_text=True)


# --- ranking -------------------------------------------------------------------------------------


def _score(world: World, reviewer, sub, score: int) -> None:  # type: ignore[no-untyped-def]
    services.save_review(
        event=world.event, reviewer=reviewer, submission_id=sub.id, score=score, comment=""
    )


def test_ranking_figures_missing_reviewers_and_csv(app: Flask, world: World) -> None:
    _score(world, world.reviewer, world.subs[0], 3)
    _score(world, world.reviewer_speaker, world.subs[0], 0)
    _score(world, world.reviewer, world.subs[1], 2)
    client = _client(app, world.organizer)
    response = client.get(f"/orga/{world.event.slug}/ranking.csv?sort=mean&dir=desc")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["title"] for r in rows] == ["Beta talk", "Alpha talk", "Gamma talk", "Own talk"]
    alpha = rows[1]
    assert (alpha["reviews"], alpha["mean"], alpha["median"], alpha["spread"], alpha["stddev"]) == (
        "2",
        "1.5",
        "1.5",
        "3",
        "1.5",
    )
    assert alpha["speakers"] == f"{SPEAKER_NAME}; {CO_SPEAKER_NAME}"
    assert rows[0]["missing_reviewers"] == "Sam Selfreviewer"
    # Sam speaks in "Own talk", so only Rita is missing there.
    assert rows[3]["missing_reviewers"] == "Rita Reviewer"


def test_ranking_csv_keeps_negative_means_as_numbers_and_quotes_cells(
    app: Flask, world: World
) -> None:
    world.event.score_min, world.event.score_max = -2, 2
    db.session.commit()
    _score(world, world.reviewer, world.subs[0], -2)
    _score(world, world.reviewer_speaker, world.subs[0], 1)
    client = _client(app, world.organizer)
    body = client.get(f"/orga/{world.event.slug}/ranking.csv?sort=title&dir=asc").get_data(
        as_text=True
    )
    assert body.splitlines()[0].startswith('"id","title","speakers",')
    alpha = next(r for r in csv.DictReader(io.StringIO(body)) if r["title"] == "Alpha talk")
    assert (alpha["mean"], alpha["median"]) == ("-0.5", "-0.5")


def test_ranking_filters_and_sort_by_query_parameters(app: Flask, world: World) -> None:
    _score(world, world.reviewer, world.subs[0], 1)
    _score(world, world.reviewer, world.subs[1], 3)
    client = _client(app, world.organizer)
    base = f"/orga/{world.event.slug}/ranking.csv"

    def titles(query: str) -> list[str]:
        body = client.get(f"{base}?{query}").get_data(as_text=True)
        return [r["title"] for r in csv.DictReader(io.StringIO(body))]

    assert titles(f"track={world.track_b.id}") == ["Gamma talk"]
    assert titles("sort=title&dir=asc") == ["Alpha talk", "Beta talk", "Gamma talk", "Own talk"]
    assert titles("sort=mean&dir=asc") == ["Alpha talk", "Beta talk", "Gamma talk", "Own talk"]
    assert titles("min_reviews=1&sort=mean") == ["Beta talk", "Alpha talk"]
    assert titles("q=GAM") == ["Gamma talk"]
    assert titles("sort=bogus&track=x&min_reviews=-1")[:2] == ["Beta talk", "Alpha talk"]


def test_ranking_csv_escapes_formulas(app: Flask, world: World) -> None:
    world.subs[0].title = "=HYPERLINK(1)"
    db.session.commit()
    body = (
        _client(app, world.organizer)
        .get(f"/orga/{world.event.slug}/ranking.csv")
        .get_data(as_text=True)
    )
    assert "'=HYPERLINK(1)" in body


def _ranking_queries(app: Flask, world: World, extra: int) -> int:
    subs = bulk_submissions(world.event, extra)
    for sub in subs[::2]:
        _score(world, world.reviewer, sub, 2)
    client = _client(app, world.organizer)
    client.get(f"/orga/{world.event.slug}/ranking")  # warm up: load the user once
    with count_queries() as log:
        response = client.get(f"/orga/{world.event.slug}/ranking")
    assert response.status_code == 200
    return log.count


def test_ranking_bounded_queries(app: Flask, world: World) -> None:
    small = _ranking_queries(app, world, 5)
    large = _ranking_queries(app, world, 60)
    assert small == large


def test_reviewer_list_bounded_queries(app: Flask, world: World) -> None:
    client = _client(app, world.reviewer)
    url = f"/review/{world.event.slug}/"
    db.session.expire_all()  # both measurements start with an empty identity map
    with count_queries() as small:
        client.get(url)
    bulk_submissions(world.event, 40, speakers_each=2)
    db.session.expire_all()
    with count_queries() as large:
        client.get(url)
    assert small.count == large.count


# --- decisions -----------------------------------------------------------------------------------


def test_decisions_bulk_release_edit_discard_send(app: Flask, world: World) -> None:
    client = _client(app, world.organizer)
    slug = world.event.slug
    client.post(
        f"/orga/{slug}/decisions/templates",
        data={
            "kind": "accept",
            "accept-subject": "Yes for {submission_title}",
            "accept-body": "Hi {speaker_name}\n{confirmation_link}",
        },
    )
    response = client.post(
        f"/orga/{slug}/decisions",
        data={
            "submission_ids": [str(world.subs[0].id), str(world.subs[1].id)],
            "decision": "accepted",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/orga/{slug}/decisions").get_data(as_text=True)
    assert "Release 2 decision(s)" in page
    assert [s.state for s in world.subs[:2]] == ["submitted", "submitted"]

    released = client.post(f"/orga/{slug}/decisions/release", follow_redirects=True)
    text = released.get_data(as_text=True)
    assert "2 decision(s) released, 3 mail(s) held for checking." in text
    mails = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    assert [m.state for m in mails] == ["held", "held", "held"]
    assert mails[0].subject == "Yes for Alpha talk"

    edit = client.post(
        f"/orga/{slug}/decisions/mails/{mails[0].id}",
        data={f"m{mails[0].id}-subject": "Edited", f"m{mails[0].id}-body": "New <b>text</b>"},
    )
    assert edit.status_code == 302
    discard = client.post(f"/orga/{slug}/decisions/mails/{mails[1].id}/discard")
    assert discard.status_code == 302
    sent = client.post(f"/orga/{slug}/decisions/mails/send", follow_redirects=True)
    assert (
        "2 mail(s) moved to the outbox queue, but no SMTP server is configured "
        "(PODIUM_SMTP_HOST): mail stays in the outbox until one is."
    ) in sent.get_data(as_text=True)
    db.session.expire_all()
    remaining = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    assert [(m.subject, m.state) for m in remaining] == [
        ("Edited", "queued"),
        ("Yes for Beta talk", "queued"),
    ]
    assert remaining[0].body_text == "New <b>text</b>"
    assert "New &lt;b&gt;text&lt;/b&gt;" in remaining[0].body_html
    # Sent mails can no longer be edited; a second release mails nobody.
    assert client.post(f"/orga/{slug}/decisions/mails/{remaining[0].id}/discard").status_code == 404
    client.post(f"/orga/{slug}/decisions/release")
    assert len(db.session.scalars(select(OutboxMail)).all()) == 2


def test_decisions_page_lists_unanswered_acceptances(app: Flask, world: World) -> None:
    services.set_decisions(
        event=world.event,
        actor=world.organizer,
        submission_ids=[world.subs[0].id, world.subs[1].id],
        decision=DecisionKind.ACCEPT,
    )
    services.release_decisions(event=world.event, actor=world.organizer)
    services.send_held_mails(event=world.event)  # dash: speakers may answer once told
    services.answer_confirmation(
        event=world.event, user=world.speaker, submission_id=world.subs[1].id, answer="confirmed"
    )
    page = _client(app, world.organizer).get(f"/orga/{world.event.slug}/decisions")
    text = page.get_data(as_text=True)
    section = text.split("Accepted, not answered yet")[1].split("Decision mails")[0]
    assert "Alpha talk" in section
    assert "Beta talk" not in section


def test_template_with_unknown_placeholder_400(app: Flask, world: World) -> None:
    response = _client(app, world.organizer).post(
        f"/orga/{world.event.slug}/decisions/templates",
        data={"kind": "reject", "reject-subject": "No", "reject-body": "Dear {who}"},
    )
    assert response.status_code == 400
    assert "Unknown placeholder(s): {who}." in response.get_data(as_text=True)


def test_decision_without_selection_400(app: Flask, world: World) -> None:
    response = _client(app, world.organizer).post(
        f"/orga/{world.event.slug}/decisions", data={"decision": "accepted"}
    )
    assert response.status_code == 400
    assert "select at least one submission" in response.get_data(as_text=True)


def test_release_route_500_decisions_bounded_queries(app: Flask, world: World) -> None:
    def release(size: int) -> int:
        subs = bulk_submissions(world.event, size)
        services.set_decisions(
            event=world.event,
            actor=world.organizer,
            submission_ids=[s.id for s in subs],
            decision=DecisionKind.REJECT,
        )
        client = _client(app, world.organizer)
        with count_queries() as log:
            response = client.post(f"/orga/{world.event.slug}/decisions/release")
        assert response.status_code == 302
        return log.count

    assert release(50) == release(500)


# --- confirmation --------------------------------------------------------------------------------


def _accept_and_release(world: World) -> str:
    services.set_decisions(
        event=world.event,
        actor=world.organizer,
        submission_ids=[world.subs[0].id],
        decision=DecisionKind.ACCEPT,
    )
    services.release_decisions(event=world.event, actor=world.organizer)
    services.send_held_mails(event=world.event)  # dash: the link works once the mail is sent
    mail = next(
        m for m in db.session.scalars(select(OutboxMail)) if m.recipients == [SPEAKER_EMAIL]
    )
    link = re.search(r"http://localhost(/review/\S+)", mail.body_text)
    assert link is not None
    return link.group(1)


def test_confirmation_link_from_mail_confirms(app: Flask, world: World) -> None:
    path = _accept_and_release(world)
    client = _client(app, world.co_speaker)
    assert "I will present it" in client.get(path).get_data(as_text=True)
    response = client.post(path, data={"answer": "confirmed"})
    assert (response.status_code, response.headers["Location"]) == (302, path)
    db.session.refresh(world.subs[0])
    assert world.subs[0].state == "confirmed"
    change = db.session.scalars(
        select(SubmissionStateChange).order_by(SubmissionStateChange.id.desc())
    ).first()
    assert (change.to_state, change.actor_id) == ("confirmed", world.co_speaker.id)


def test_confirmation_link_refuses_others_and_forgery(app: Flask, world: World) -> None:
    path = _accept_and_release(world)
    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 302
    assert "/account/login" in anonymous.headers["Location"]
    assert _client(app, world.reviewer).post(path, data={"answer": "declined"}).status_code == 403
    assert _client(app, world.speaker).get(path[:-3] + "abc").status_code == 404
    db.session.refresh(world.subs[0])
    assert world.subs[0].state == "accepted"


def test_dashboard_answer_declines(app: Flask, world: World) -> None:
    _accept_and_release(world)
    response = _client(app, world.speaker).post(
        f"/review/{world.event.slug}/submissions/{world.subs[0].id}/answer",
        data={"answer": "declined"},
    )
    assert (response.status_code, response.headers["Location"]) == (302, "/revconf/me/")
    db.session.refresh(world.subs[0])
    assert world.subs[0].state == "declined"


def test_answer_on_unaccepted_submission_409(app: Flask, world: World) -> None:
    response = _client(app, world.speaker).post(
        f"/review/{world.event.slug}/submissions/{world.subs[0].id}/answer",
        data={"answer": "confirmed"},
    )
    assert response.status_code == 409
    assert "has not been accepted" in response.get_data(as_text=True)


def test_post_without_csrf_token_refused_and_changes_nothing(app: Flask, world: World) -> None:
    services.set_decisions(
        event=world.event,
        actor=world.organizer,
        submission_ids=[world.subs[0].id],
        decision=DecisionKind.ACCEPT,
    )
    app.config["WTF_CSRF_ENABLED"] = True
    client = _client(app, world.organizer)
    response = client.post(f"/orga/{world.event.slug}/decisions/release")
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    db.session.refresh(world.subs[0])
    assert (world.subs[0].state, world.subs[0].pending_state) == ("submitted", "accepted")


def test_release_page_with_csrf_token_works(app: Flask, world: World) -> None:
    services.set_decisions(
        event=world.event,
        actor=world.organizer,
        submission_ids=[world.subs[0].id],
        decision=DecisionKind.ACCEPT,
    )
    app.config["WTF_CSRF_ENABLED"] = True
    client = _client(app, world.organizer)
    page = client.get(f"/orga/{world.event.slug}/decisions").get_data(as_text=True)
    release_form = page.split('/decisions/release"')[1]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', release_form)
    assert token is not None
    response = client.post(
        f"/orga/{world.event.slug}/decisions/release", data={"csrf_token": token.group(1)}
    )
    assert response.status_code == 302
    db.session.refresh(world.subs[0])
    assert world.subs[0].state == "accepted"
