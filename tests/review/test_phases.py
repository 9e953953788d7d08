"""Review phases: which one is current (dates or switched by hand), what each allows, and
every place that obeys it (reviewer pages, organizer pages, the dashboard, speakers' edits)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from podium.cfp import services as cfp_services
from podium.cfp.permissions import review_phase_allows_speaker_edits
from podium.extensions import db
from podium.review import queries, services
from podium.review.models import Review, ReviewPhase
from podium.review.permissions import PhaseRules, phase_rules, speaker_names_visible
from tests.review.conftest import SPEAKER_NAME, World
from tests.review.test_views import _SECRETS, _reviewer_bodies
from tests.support.auth import login
from tests.support.factories import EventFactory, MembershipFactory, UserFactory
from tests.support.permissions import Route, check_matrix

NOW = datetime(2031, 3, 10, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _phase(world: World, name: str, start=None, end=None, **rules) -> ReviewPhase:  # type: ignore[no-untyped-def]
    allowed = {
        "can_review": True,
        "can_see_other_reviews": False,
        "can_see_speaker_names": True,
        "speakers_can_edit": True,
    } | rules
    return services.add_phase(event=world.event, name=name, starts_at=start, ends_at=end, **allowed)


# --- which phase is current ---------------------------------------------------------------------


def test_current_phase_follows_the_dates(world: World) -> None:
    _phase(world, "Reviewing", NOW - 5 * DAY, NOW)
    _phase(world, "Discussion", NOW, NOW + 5 * DAY)
    _phase(world, "Afterwards", NOW + 5 * DAY, None)

    def current(at: datetime) -> str | None:
        phase = queries.current_phase(world.event, at)
        return phase.name if phase else None

    assert current(NOW - 6 * DAY) is None
    assert current(NOW - DAY) == "Reviewing"
    assert current(NOW) == "Discussion"  # an end is exclusive, a start inclusive
    assert current(NOW + 5 * DAY) == "Afterwards"
    assert current(NOW + 500 * DAY) == "Afterwards"


def test_overlapping_phases_the_later_start_wins(world: World) -> None:
    _phase(world, "Everything", None, None)
    _phase(world, "Crunch", NOW - DAY, NOW + DAY)
    assert queries.current_phase(world.event, NOW).name == "Crunch"  # type: ignore[union-attr]
    assert queries.current_phase(world.event, NOW + 2 * DAY).name == "Everything"  # type: ignore[union-attr]


def test_a_phase_switched_by_hand_wins_over_dates_until_unpinned(world: World) -> None:
    _phase(world, "Reviewing", NOW - DAY, NOW + DAY)
    later = _phase(world, "Discussion", NOW + DAY, None)
    services.pin_phase(event=world.event, phase_id=later.id)
    assert queries.current_phase(world.event, NOW).name == "Discussion"  # type: ignore[union-attr]
    services.pin_phase(event=world.event, phase_id=None)
    assert queries.current_phase(world.event, NOW).name == "Reviewing"  # type: ignore[union-attr]
    foreign = services.add_phase(
        event=EventFactory(),
        name="Elsewhere",
        starts_at=None,
        ends_at=None,
        can_review=True,
        can_see_other_reviews=False,
        can_see_speaker_names=True,
        speakers_can_edit=True,
    )
    with pytest.raises(services.NotVisible):
        services.pin_phase(event=world.event, phase_id=foreign.id)


def test_add_phase_refuses_bad_input_naming_the_field(world: World) -> None:
    with pytest.raises(services.ReviewError) as caught:
        _phase(world, "Back to front", NOW, NOW - DAY)
    assert (caught.value.field, str(caught.value)) == (
        "ends_at",
        "the phase must end after it starts",
    )
    with pytest.raises(services.ReviewError) as caught:
        _phase(world, "  ")
    assert caught.value.field == "name"
    with pytest.raises(services.ReviewError) as caught:
        _phase(world, "Naive", datetime(2031, 1, 1))  # noqa: DTZ001  the naive instant under test
    assert caught.value.field == "starts_at"
    assert queries.review_phases(world.event.id) == []


# --- what a phase allows -----------------------------------------------------------------------


def test_without_phases_the_event_settings_decide(world: World) -> None:
    assert phase_rules(world.event, NOW) == PhaseRules("", True, False, True, True)
    world.event.anonymised_review = True
    world.event.review_closes_at = NOW
    db.session.commit()
    assert phase_rules(world.event, NOW) == PhaseRules("", False, False, False, True)


def test_a_phase_only_restricts_the_event_settings(world: World) -> None:
    _phase(world, "Open", None, None, can_see_other_reviews=True, speakers_can_edit=False)
    assert phase_rules(world.event, NOW) == PhaseRules("Open", True, True, True, False)
    # Anonymised review hides names whatever the phase says; no scoring after the close.
    world.event.anonymised_review = True
    world.event.review_closes_at = NOW - DAY
    db.session.commit()
    assert phase_rules(world.event, NOW) == PhaseRules("Open", False, True, False, False)


@pytest.mark.parametrize(
    ("anonymised", "phase_shows", "visible"),
    [(False, True, True), (False, False, False), (True, True, False), (True, False, False)],
)
def test_speaker_names_visible_combines_setting_and_phase(
    world: World, anonymised: bool, phase_shows: bool, visible: bool
) -> None:
    world.event.anonymised_review = anonymised
    db.session.commit()
    _phase(world, "Now", None, None, can_see_speaker_names=phase_shows)
    assert speaker_names_visible(world.event) is visible


def test_a_phase_hiding_names_keeps_speakers_out_of_every_reviewer_response(
    app: Flask, world: World
) -> None:
    _phase(world, "Blind", None, None, can_see_speaker_names=False)
    bodies = _reviewer_bodies(app, world)
    leaks = [
        f"{label}: {secret!r}"
        for label, body in bodies.items()
        for secret in _SECRETS
        if secret.lower() in body.lower()
    ]
    assert leaks == []
    assert json.loads(bodies["json"])["anonymised"] is True
    assert "Current review phase: <strong>Blind</strong>" in bodies["list"]


def test_phase_showing_names_shows_them(app: Flask, world: World) -> None:
    _phase(world, "Open", None, None)
    page = login(app.test_client(), world.reviewer).get(
        f"/review/{world.event.slug}/{world.subs[0].id}"
    )
    assert SPEAKER_NAME in page.get_data(as_text=True)


def test_a_phase_without_scoring_refuses_reviews(app: Flask, world: World) -> None:
    _phase(world, "Discussion", None, None, can_review=False)
    with pytest.raises(services.ReviewError) as caught:
        services.save_review(
            event=world.event,
            reviewer=world.reviewer,
            submission_id=world.subs[0].id,
            score=2,
            comment="",
        )
    assert str(caught.value) == "the current review phase does not allow scoring"
    client = login(app.test_client(), world.reviewer)
    url = f"/review/{world.event.slug}/{world.subs[0].id}"
    page = client.get(url).get_data(as_text=True)
    assert "Scoring is not possible in the current review phase." in page
    assert 'name="score"' not in page
    response = client.post(url, data={"score": "2"})
    assert response.status_code == 400
    assert "the current review phase does not allow scoring" in response.get_data(as_text=True)
    assert db.session.scalars(select(Review)).all() == []


def _other_review(world: World) -> None:
    reviewer = UserFactory(name="Vera Second")
    MembershipFactory(event=world.event, user=reviewer, role="reviewer")
    services.add_assignment(event=world.event, reviewer_id=reviewer.id, scope="all")
    services.save_review(
        event=world.event,
        reviewer=reviewer,
        submission_id=world.subs[0].id,
        score=1,
        comment="Second-opinion-marker",
    )


@pytest.mark.parametrize("allowed", [True, False])
def test_other_reviews_are_shown_only_when_the_phase_allows(
    app: Flask, world: World, allowed: bool
) -> None:
    _other_review(world)
    _phase(world, "Now", None, None, can_see_other_reviews=allowed)
    page = (
        login(app.test_client(), world.reviewer)
        .get(f"/review/{world.event.slug}/{world.subs[0].id}")
        .get_data(as_text=True)
    )
    assert ("Second-opinion-marker" in page, "Vera Second</strong>: 1" in page) == (
        allowed,
        allowed,
    )


# --- speakers' edits -----------------------------------------------------------------------------


def _content(title: str) -> cfp_services.SubmissionContent:
    return cfp_services.SubmissionContent(title=title, abstract="An abstract.", duration_minutes=30)


def test_a_frozen_phase_stops_speaker_edits_but_not_organizers(world: World) -> None:
    submission = world.subs[0]
    _phase(world, "Frozen", None, None, speakers_can_edit=False)
    assert review_phase_allows_speaker_edits(world.event) is False
    with pytest.raises(cfp_services.DeadlineError) as caught:
        cfp_services.update_submission(
            submission=submission, actor=world.speaker, content=_content("Changed")
        )
    assert caught.value.message == "Submissions cannot be changed during the current review phase."
    db.session.refresh(submission)
    assert submission.title == "Alpha talk"
    cfp_services.update_submission(
        submission=submission,
        actor=world.organizer,
        content=_content("By orga"),
        as_organizer=True,
    )
    assert submission.title == "By orga"


def test_speaker_edit_page_is_read_only_and_refuses_posts_in_a_frozen_phase(
    app: Flask, world: World
) -> None:
    submission = world.subs[0]
    client = login(app.test_client(), world.speaker)
    url = f"/{world.event.slug}/me/submissions/{submission.id}/edit"
    assert client.get(url).status_code == 200
    _phase(world, "Frozen", None, None, speakers_can_edit=False)
    response = client.post(url, data={"title": "Changed", "abstract": "An abstract."})
    assert response.status_code == 403
    assert "Submissions cannot be changed during the current review phase." in response.get_data(
        as_text=True
    )
    db.session.refresh(submission)
    assert submission.title == "Alpha talk"


def test_speakers_edit_again_when_the_phase_allows(world: World) -> None:
    _phase(world, "Open", None, None, speakers_can_edit=True)
    cfp_services.update_submission(
        submission=world.subs[0], actor=world.speaker, content=_content("Changed")
    )
    assert world.subs[0].title == "Changed"


# --- organizer pages ---------------------------------------------------------------------------


def test_organizer_adds_switches_and_deletes_phases(app: Flask, world: World) -> None:
    client = login(app.test_client(), world.organizer)
    base = f"/orga/{world.event.slug}/review/phases"
    form = {
        "name": "Reviewing",
        "starts_at": "2031-03-01T09:00",
        "ends_at": "2031-03-31T18:00",
        "can_review": "y",
        "can_see_speaker_names": "y",
    }
    assert client.post(base, data=form).status_code == 302
    assert (
        client.post(base, data={"name": "Discussion", "can_see_other_reviews": "y"}).status_code
        == 302
    )
    discussion, reviewing = queries.review_phases(world.event.id)  # undated first
    # Europe/Brussels wall clock: UTC+1 in early March, UTC+2 after the 30 March change.
    assert (reviewing.name, reviewing.starts_at, reviewing.ends_at) == (
        "Reviewing",
        datetime(2031, 3, 1, 8, 0, tzinfo=UTC),
        datetime(2031, 3, 31, 16, 0, tzinfo=UTC),
    )
    assert (
        reviewing.can_review,
        reviewing.can_see_other_reviews,
        reviewing.can_see_speaker_names,
        reviewing.speakers_can_edit,
    ) == (True, False, True, False)
    assert client.post(f"{base}/{discussion.id}/pin").status_code == 302
    page = client.get(f"/orga/{world.event.slug}/review/").get_data(as_text=True)
    assert "Current review phase: <strong>Discussion</strong>" in page
    assert "switched by hand" in page
    assert 'aria-current="true"' in page
    dashboard = client.get(f"/orga/{world.event.slug}/").get_data(as_text=True)
    assert "Current review phase: <strong>Discussion</strong>" in dashboard
    assert client.post(f"{base}/unpin").status_code == 302
    assert client.post(f"{base}/{discussion.id}/delete").status_code == 302
    assert [p.name for p in queries.review_phases(world.event.id)] == ["Reviewing"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"starts_at": "soon"}, "use the form YYYY-MM-DDTHH:MM"),
        ({"starts_at": "2031-03-30T02:30"}, "does not exist in Europe/Brussels"),
        (
            {"starts_at": "2031-03-02T10:00", "ends_at": "2031-03-01T10:00"},
            "the phase must end after it starts",
        ),
    ],
)
def test_bad_phase_form_answers_400_naming_the_problem(
    app: Flask, world: World, data: dict, message: str
) -> None:
    client = login(app.test_client(), world.organizer)
    response = client.post(f"/orga/{world.event.slug}/review/phases", data={"name": "Phase"} | data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert queries.review_phases(world.event.id) == []


FIXED_ID = 987650  # a phase the matrix deletes is recreated with this id before each request


def _recreate_phase(world: World) -> None:
    if db.session.get(ReviewPhase, FIXED_ID) is None:
        db.session.add(ReviewPhase(id=FIXED_ID, event_id=world.event.id, name="Gone"))
        db.session.commit()


def test_phase_pages_permission_matrix(app: Flask, world: World) -> None:
    other_organizer = UserFactory(name="Other Orga")
    MembershipFactory(event=EventFactory(), user=other_organizer, role="organizer")
    phase = _phase(world, "Kept", None, None)
    slug = world.event.slug
    users = {
        "anonymous": None,
        "speaker": world.speaker,
        "reviewer": world.reviewer,
        "other_organizer": other_organizer,
        "organizer": world.organizer,
    }
    orga = {"organizer"}
    check_matrix(
        app,
        users,
        [
            Route("POST", f"/orga/{slug}/review/phases", data={"name": "P"}, allowed=orga),
            Route("POST", f"/orga/{slug}/review/phases/{phase.id}/pin", allowed=orga),
            Route("POST", f"/orga/{slug}/review/phases/unpin", allowed=orga),
            Route(
                "POST",
                f"/orga/{slug}/review/phases/{FIXED_ID}/delete",
                allowed=orga,
                setup=lambda: _recreate_phase(world),
            ),
        ],
    )
