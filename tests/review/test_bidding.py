"""Bidding and the automatic assignment against the database: permissions, anonymisation,
the conflict rules, preview and apply (idempotent), and bounded query counts."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from podium.events.models import Event
from podium.extensions import db
from podium.once import new_form_token
from podium.review import queries, services
from podium.review.enums import BidPreference
from podium.review.models import ReviewBid, ReviewConflict, ReviewerAssignment
from tests.review.conftest import SPEAKER_NAME, World, bulk_submissions
from tests.support.auth import login
from tests.support.factories import EventFactory, MembershipFactory, UserFactory
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries

ORGA = {"organizer", "admin"}
REVIEWERS = {"reviewer", "unassigned_reviewer"}


def _client(app: Flask, user) -> FlaskClient:  # type: ignore[no-untyped-def]
    return login(app.test_client(), user)


def _no_assignments(world: World) -> None:
    """A world before any assignment: the automatic one starts from nothing."""
    db.session.execute(ReviewerAssignment.__table__.delete())
    db.session.commit()


def _pairs(event: Event) -> set[tuple[int, int]]:
    return {(r, p) for r, p in db.session.execute(queries.visible_pairs(event.id))}


def _bid(world: World, user, submission, preference: str) -> None:  # type: ignore[no-untyped-def]
    db.session.add(
        ReviewBid(
            event_id=world.event.id,
            reviewer_id=user.id,
            submission_id=submission.id,
            preference=preference,
        )
    )
    db.session.commit()


# --- permissions ---------------------------------------------------------------------------------


def test_permission_matrix_bidding_and_assignment(app: Flask, world: World) -> None:
    slug = world.event.slug
    other_organizer = UserFactory(name="Oscar Otherevent")
    MembershipFactory(event=EventFactory(slug="elsewhere"), user=other_organizer, role="organizer")
    users = {
        "anonymous": None,
        "outsider": world.outsider,
        "speaker": world.speaker,
        "reviewer": world.reviewer,
        "unassigned_reviewer": world.other_reviewer,
        "organizer_of_another_event": other_organizer,
        "organizer": world.organizer,
        "admin": world.admin,
    }
    check_matrix(
        app,
        users,
        [
            Route("GET", f"/review/{slug}/bids", allowed=REVIEWERS),
            Route(
                "POST",
                f"/review/{slug}/bids",
                data={f"bid-{world.subs[2].id}": "want"},
                allowed=REVIEWERS,
            ),
            Route("GET", f"/orga/{slug}/review/assignment", allowed=ORGA),
            Route("GET", f"/orga/{slug}/review/assignment?per_proposal=2", allowed=ORGA),
            Route(
                "POST",
                f"/orga/{slug}/review/assignment",
                data={"per_proposal": "1", "cap": ""},
                allowed=ORGA,
            ),
        ],
    )


def test_assignment_menu_entry_for_organizers(app: Flask, world: World) -> None:
    page = _client(app, world.organizer).get(f"/orga/{world.event.slug}/review/assignment")
    html = page.get_data(as_text=True)
    assert re.search(r'<a[^>]*aria-current="page"[^>]*>\s*Assignment\s*</a>', html), html


# --- bidding ---------------------------------------------------------------------------------


def test_bidding_page_lists_proposals_but_not_own_or_declared_conflicts(
    app: Flask, world: World
) -> None:
    db.session.add(
        ReviewConflict(submission_id=world.subs[1].id, reviewer_id=world.reviewer_speaker.id)
    )
    db.session.commit()
    items = queries.bidding_items(world.event, world.reviewer_speaker.id)
    assert [i.title for i in items] == ["Alpha talk", "Gamma talk"]
    page = _client(app, world.reviewer_speaker).get(f"/review/{world.event.slug}/bids")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Own talk" not in html
    assert "Beta talk" not in html
    assert html.count('type="radio"') == 2 * 5


def test_bidding_hides_speakers_when_review_is_anonymised(app: Flask, world: World) -> None:
    client = _client(app, world.reviewer)
    url = f"/review/{world.event.slug}/bids"
    world.event.anonymised_review = False
    db.session.commit()
    assert SPEAKER_NAME in client.get(url).get_data(as_text=True)
    world.event.anonymised_review = True
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert SPEAKER_NAME not in html
    assert "Speakers are not shown." in html
    assert {i.speakers for i in queries.bidding_items(world.event, world.reviewer.id)} == {()}


def test_one_post_saves_changes_and_withdraws_bids(app: Flask, world: World) -> None:
    alpha, beta, gamma = world.subs
    _bid(world, world.reviewer, beta, "can")
    _bid(world, world.reviewer, gamma, "want")
    response = _client(app, world.reviewer).post(
        f"/review/{world.event.slug}/bids",
        data={f"bid-{alpha.id}": "want", f"bid-{beta.id}": "conflict", f"bid-{gamma.id}": ""},
    )
    assert response.status_code == 302
    stored = {
        submission_id: preference
        for submission_id, preference in db.session.execute(
            select(ReviewBid.submission_id, ReviewBid.preference).where(
                ReviewBid.reviewer_id == world.reviewer.id
            )
        )
    }
    assert stored == {alpha.id: "want", beta.id: "conflict"}


def test_filters_show_a_subset_and_saving_keeps_the_others(app: Flask, world: World) -> None:
    alpha, _, gamma = world.subs
    _bid(world, world.reviewer, gamma, "rather_not")
    filters = queries.BidFilters(track_id=world.track_a.id, unbid_only=True)
    titles = [i.title for i in queries.bidding_items(world.event, world.reviewer.id, filters)]
    assert titles == ["Alpha talk", "Beta talk", "Own talk"]
    q = queries.BidFilters.from_args({"q": "GAMMA"})
    assert [i.bid for i in queries.bidding_items(world.event, world.reviewer.id, q)] == [
        "rather_not"
    ]
    client = _client(app, world.reviewer)
    response = client.post(
        f"/review/{world.event.slug}/bids?track={world.track_a.id}&unbid=1",
        data={f"bid-{alpha.id}": "can"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"?track={world.track_a.id}&unbid=1")
    assert db.session.scalar(select(func.count()).select_from(ReviewBid)) == 2


@pytest.mark.parametrize("target", ["own", "declared", "other_event", "unknown_value", "bad_id"])
def test_bids_on_what_a_reviewer_cannot_bid_are_refused_and_nothing_is_saved(
    app: Flask, world: World, target: str
) -> None:
    alpha = world.subs[0]
    db.session.add(ReviewConflict(submission_id=world.subs[1].id, reviewer_id=world.reviewer.id))
    other = bulk_submissions(EventFactory(slug="otherconf"), 1)[0]
    db.session.commit()
    field, value = {
        "own": (f"bid-{world.own.id}", "want"),
        "declared": (f"bid-{world.subs[1].id}", "want"),
        "other_event": (f"bid-{other.id}", "want"),
        "unknown_value": (f"bid-{alpha.id}", "maybe"),
        "bad_id": ("bid-x1", "want"),
    }[target]
    response = _client(app, world.reviewer_speaker if target == "own" else world.reviewer).post(
        f"/review/{world.event.slug}/bids", data={f"bid-{alpha.id}": "want", field: value}
    )
    assert response.status_code == 400
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReviewBid)) == 0


def test_save_bids_service_counts_changes(app: Flask, world: World) -> None:
    alpha, beta, _ = world.subs
    bids = {alpha.id: BidPreference.WANT, beta.id: None}
    assert services.save_bids(event=world.event, reviewer=world.reviewer, bids=bids) == 1
    assert services.save_bids(event=world.event, reviewer=world.reviewer, bids=bids) == 0
    bids = {alpha.id: BidPreference.CAN}
    assert services.save_bids(event=world.event, reviewer=world.reviewer, bids=bids) == 1
    assert services.save_bids(event=world.event, reviewer=world.reviewer, bids={}) == 0


def test_bidding_page_bounded_queries(app: Flask, world: World) -> None:
    world.event.anonymised_review = False
    db.session.commit()
    client = _client(app, world.reviewer)
    url = f"/review/{world.event.slug}/bids"
    client.get(url)
    db.session.expire_all()
    with count_queries() as small:
        assert client.get(url).status_code == 200
    bulk_submissions(world.event, 40, speakers_each=2)
    db.session.expire_all()
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert small.count == large.count


# --- automatic assignment ----------------------------------------------------------------------


def test_assignment_input_collects_every_conflict_kind(app: Flask, world: World) -> None:
    _no_assignments(world)
    alpha, beta, gamma = world.subs
    db.session.add(ReviewConflict(submission_id=alpha.id, reviewer_id=world.reviewer.id))
    _bid(world, world.other_reviewer, beta, "conflict")
    _bid(world, world.other_reviewer, gamma, "want")
    data = queries.assignment_input(world.event, per_proposal=3, cap=None)
    assert sorted(data.proposals) == sorted([alpha.id, beta.id, gamma.id, world.own.id])
    assert list(data.reviewers) == sorted(
        [world.reviewer.id, world.reviewer_speaker.id, world.other_reviewer.id]
    )
    assert (world.reviewer.id, alpha.id) in data.conflicts
    assert (world.reviewer_speaker.id, world.own.id) in data.conflicts
    assert data.bids == {
        (world.other_reviewer.id, beta.id): "conflict",
        (world.other_reviewer.id, gamma.id): "want",
    }
    assert data.existing == set()


def test_apply_never_assigns_conflicts_and_fills_the_rest(app: Flask, world: World) -> None:
    _no_assignments(world)
    alpha, beta, _ = world.subs
    db.session.add(ReviewConflict(submission_id=alpha.id, reviewer_id=world.reviewer.id))
    db.session.commit()
    _bid(world, world.other_reviewer, beta, "conflict")
    applied = services.apply_assignment(event=world.event, per_proposal=3, cap=None)
    pairs = _pairs(world.event)
    assert applied.added == len(pairs)
    forbidden = {
        (world.reviewer.id, alpha.id),  # declared
        (world.other_reviewer.id, beta.id),  # bid "conflict"
        (world.reviewer_speaker.id, world.own.id),  # speaks in it
    }
    assert pairs & forbidden == set()
    everyone = {world.reviewer.id, world.reviewer_speaker.id, world.other_reviewer.id}
    expected = {(r, s.id) for r in everyone for s in (*world.subs, world.own)} - forbidden
    assert pairs == expected
    rows = db.session.scalars(select(ReviewerAssignment)).all()
    assert {(a.track_id, a.submission_id is not None) for a in rows} == {(None, True)}


def test_preview_changes_nothing_and_reports_short_proposals(app: Flask, world: World) -> None:
    _no_assignments(world)
    db.session.add(
        ReviewConflict(submission_id=world.subs[0].id, reviewer_id=world.other_reviewer.id)
    )
    db.session.commit()
    result = services.preview_assignment(event=world.event, per_proposal=3, cap=None)
    assert result.short == {world.subs[0].id: 1, world.own.id: 1}
    assert db.session.scalar(select(func.count()).select_from(ReviewerAssignment)) == 0


def test_wants_win_and_cap_holds_in_the_database(app: Flask, world: World) -> None:
    _no_assignments(world)
    alpha, beta, gamma = world.subs
    _bid(world, world.other_reviewer, alpha, "want")
    _bid(world, world.reviewer, alpha, "rather_not")
    _bid(world, world.reviewer_speaker, alpha, "can")
    services.apply_assignment(event=world.event, per_proposal=1, cap=2)
    pairs = _pairs(world.event)
    assert (world.other_reviewer.id, alpha.id) in pairs
    loads = {r: sum(1 for x, _ in pairs if x == r) for r, _ in pairs}
    assert max(loads.values()) <= 2
    assert {p for _, p in pairs} == {alpha.id, beta.id, gamma.id, world.own.id}


def test_manual_assignments_stay_and_count(app: Flask, world: World) -> None:
    _no_assignments(world)
    alpha = world.subs[0]
    db.session.add(
        ReviewerAssignment(
            event_id=world.event.id, reviewer_id=world.reviewer.id, submission_id=alpha.id
        )
    )
    db.session.commit()
    applied = services.apply_assignment(event=world.event, per_proposal=1, cap=None)
    assert applied.added == 3
    pairs = _pairs(world.event)
    assert [r for r, p in pairs if p == alpha.id] == [world.reviewer.id]
    assert services.apply_assignment(event=world.event, per_proposal=1, cap=None).added == 0
    # A manual change afterwards: remove one, and the next run fills just that gap.
    removed = db.session.scalars(
        select(ReviewerAssignment).where(ReviewerAssignment.submission_id == world.own.id)
    ).one()
    services.remove_assignment(event=world.event, assignment_id=removed.id)
    assert services.apply_assignment(event=world.event, per_proposal=1, cap=None).added == 1


def test_apply_twice_with_one_form_token_applies_once(app: Flask, world: World) -> None:
    _no_assignments(world)
    token = new_form_token()
    client = _client(app, world.organizer)
    url = f"/orga/{world.event.slug}/review/assignment"
    data = {"per_proposal": "2", "cap": "", "form_token": token}
    first = client.post(url, data=data)
    assert first.status_code == 302
    count = db.session.scalar(select(func.count()).select_from(ReviewerAssignment))
    assert count == 8  # four proposals, two reviewers each
    # A second apply with more reviewers per proposal but the same form adds nothing.
    second = client.post(url, data={**data, "per_proposal": "3"}, follow_redirects=True)
    assert "This assignment was already applied." in second.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReviewerAssignment)) == count


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("per_proposal=0", "Number must be between 1 and 50."),
        ("per_proposal=x", "Not a valid integer value."),
        ("per_proposal=2&cap=-1", "Number must be between 0 and 100000."),
    ],
)
def test_preview_bad_input_is_a_form_error(
    app: Flask, world: World, query: str, message: str
) -> None:
    response = _client(app, world.organizer).get(
        f"/orga/{world.event.slug}/review/assignment?{query}"
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_preview_page_shows_statistics_and_apply_form(app: Flask, world: World) -> None:
    _no_assignments(world)
    _bid(world, world.reviewer, world.subs[0], "want")
    client = _client(app, world.organizer)
    html = client.get(f"/orga/{world.event.slug}/review/assignment?per_proposal=1&cap=").get_data(
        as_text=True
    )
    assert "4 new assignment(s)." in html
    assert '"Want" bids honoured after applying: 1 of 1.' in html
    assert "Every proposal gets its 1 reviewer(s)." in html
    assert "Rita Reviewer" in html
    assert 'action="/orga/revconf/review/assignment"' in html
    assert db.session.scalar(select(func.count()).select_from(ReviewerAssignment)) == 0


def test_preview_bounded_queries(app: Flask, world: World) -> None:
    client = _client(app, world.organizer)
    url = f"/orga/{world.event.slug}/review/assignment?per_proposal=2"
    client.get(url)
    db.session.expire_all()
    with count_queries() as small:
        assert client.get(url).status_code == 200
    bulk_submissions(world.event, 40)
    db.session.expire_all()
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert small.count == large.count


def test_preview_page_lists_short_proposals(app: Flask, world: World) -> None:
    _no_assignments(world)
    html = (
        _client(app, world.organizer)
        .get(f"/orga/{world.event.slug}/review/assignment?per_proposal=3&cap=1")
        .get_data(as_text=True)
    )
    # Three reviewers with at most one proposal each: three pairs for twelve wanted.
    assert "3 new assignment(s)." in html
    assert "4 proposal(s) short of 3 reviewer(s) (see below)." in html
    assert "Proposals short of reviewers" in html
