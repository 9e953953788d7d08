"""Review services: visibility, reviews, decisions, their release and mails, confirmations."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, text

from podium.cfp.models import SubmissionSpeaker, SubmissionStateChange
from podium.events.models import EventMembership
from podium.extensions import db
from podium.mail.models import OutboxMail
from podium.review import queries, services
from podium.review.emails import fill_placeholders, unknown_placeholders
from podium.review.enums import DecisionKind
from podium.review.models import Decision, ReviewerAssignment
from tests.review.conftest import SPEAKER_EMAIL, World, bulk_submissions
from tests.support.factories import EventFactory, UserFactory
from tests.support.queries import count_queries


def _visible(world: World, user) -> set[str]:  # type: ignore[no-untyped-def]
    return {i.title for i in queries.reviewer_items(world.event, user.id)}


def test_visibility_all_assignment_excludes_own_submission(world: World) -> None:
    assert _visible(world, world.reviewer) == {"Alpha talk", "Beta talk", "Gamma talk", "Own talk"}
    assert _visible(world, world.reviewer_speaker) == {"Alpha talk", "Beta talk", "Gamma talk"}


def test_visibility_unassigned_reviewer_sees_nothing(world: World) -> None:
    assert _visible(world, world.other_reviewer) == set()


def test_visibility_track_assignment_covers_only_that_track(world: World) -> None:
    db.session.add(
        ReviewerAssignment(
            event_id=world.event.id, reviewer_id=world.other_reviewer.id, track_id=world.track_b.id
        )
    )
    db.session.commit()
    assert _visible(world, world.other_reviewer) == {"Gamma talk"}


def test_visibility_individual_assignment_covers_only_that_submission(world: World) -> None:
    services.add_assignment(
        event=world.event,
        reviewer_id=world.other_reviewer.id,
        scope="submission",
        submission_id=world.subs[1].id,
    )
    assert _visible(world, world.other_reviewer) == {"Beta talk"}


def test_visibility_declared_conflict_hides_submission(world: World) -> None:
    services.declare_conflict(
        event=world.event, reviewer=world.reviewer, submission_id=world.subs[0].id, reason="friend"
    )
    assert "Alpha talk" not in _visible(world, world.reviewer)
    with pytest.raises(services.NotVisible):
        services.save_review(
            event=world.event,
            reviewer=world.reviewer,
            submission_id=world.subs[0].id,
            score=2,
            comment="",
        )


def test_visibility_lost_reviewer_role_hides_everything(world: World) -> None:
    db.session.execute(
        EventMembership.__table__.delete().where(EventMembership.user_id == world.reviewer.id)
    )
    db.session.commit()
    assert _visible(world, world.reviewer) == set()


def test_visibility_withdrawn_and_other_event_submissions_hidden(world: World) -> None:
    world.subs[1].state = "withdrawn"
    db.session.commit()
    other = EventFactory()
    assert "Beta talk" not in _visible(world, world.reviewer)
    assert queries.reviewer_items(other, world.reviewer.id) == []


def test_save_review_speaker_reviewer_cannot_score_own(world: World) -> None:
    with pytest.raises(services.NotVisible):
        services.save_review(
            event=world.event,
            reviewer=world.reviewer_speaker,
            submission_id=world.own.id,
            score=3,
            comment="great",
        )


def test_save_review_updates_single_review(world: World) -> None:
    for score in (1, 3):
        services.save_review(
            event=world.event,
            reviewer=world.reviewer,
            submission_id=world.subs[0].id,
            score=score,
            comment=f"c{score}",
        )
    item = queries.reviewer_items(world.event, world.reviewer.id, submission_id=world.subs[0].id)
    assert (item[0].my_score, item[0].my_comment) == (3, "c3")


def test_save_review_out_of_scale_refused(world: World) -> None:
    with pytest.raises(services.ReviewError, match="between 0 and 3"):
        services.save_review(
            event=world.event,
            reviewer=world.reviewer,
            submission_id=world.subs[0].id,
            score=4,
            comment="",
        )


def test_save_review_after_closing_refused(world: World) -> None:
    world.event.review_closes_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(services.ReviewError, match="closed"):
        services.save_review(
            event=world.event,
            reviewer=world.reviewer,
            submission_id=world.subs[0].id,
            score=1,
            comment="",
        )


def test_update_settings_refuses_range_excluding_existing_scores(world: World) -> None:
    services.save_review(
        event=world.event,
        reviewer=world.reviewer,
        submission_id=world.subs[0].id,
        score=3,
        comment="",
    )
    with pytest.raises(services.ReviewError) as caught:
        services.update_review_settings(
            event=world.event,
            anonymised=False,
            closes_at=None,
            score_min=-2,
            score_max=2,
            labels={},
        )
    assert caught.value.field == "score_min"


def test_update_settings_stores_scale_and_labels(world: World) -> None:
    services.update_review_settings(
        event=world.event,
        anonymised=True,
        closes_at=datetime(2031, 3, 1, 11, 0, tzinfo=UTC),
        score_min=-2,
        score_max=2,
        labels={-2: "No", 2: "Yes"},
    )
    db.session.refresh(world.event)
    assert (world.event.score_min, world.event.score_max) == (-2, 2)
    assert world.event.score_labels == {"-2": "No", "2": "Yes"}
    assert world.event.review_closes_at == datetime(2031, 3, 1, 11, 0, tzinfo=UTC)


def test_placeholders_unknown_and_attribute_access_detected() -> None:
    assert unknown_placeholders("Hi {speaker_name}, {oops} {speaker_name.__class__}") == [
        "oops",
        "speaker_name.__class__",
    ]
    assert fill_placeholders("{speaker_name}/{x}", {"speaker_name": "Ann"}) == "Ann/{x}"


def test_save_template_refuses_unknown_placeholder(world: World) -> None:
    with pytest.raises(services.ReviewError) as caught:
        services.save_decision_template(
            event=world.event, kind="accept", subject="Hi", body="Dear {name}"
        )
    assert (caught.value.field, str(caught.value)) == (
        "body",
        "Unknown placeholder(s): {name}. "
        "Use {speaker_name}, {submission_title}, {event_name}, {confirmation_link}.",
    )


def _mails(event_id: int) -> list[OutboxMail]:
    return list(
        db.session.scalars(
            select(OutboxMail).where(OutboxMail.event_id == event_id).order_by(OutboxMail.id)
        )
    )


def test_release_applies_decisions_and_holds_one_mail_per_speaker(world: World) -> None:
    services.save_decision_template(
        event=world.event,
        kind="accept",
        subject="{event_name} yes",
        body="Hello {speaker_name}, {submission_title}: {confirmation_link}",
    )
    services.set_decisions(
        event=world.event,
        actor=world.organizer,
        submission_ids=[world.subs[0].id],
        decision=DecisionKind.ACCEPT,
    )
    services.set_decisions(
        event=world.event,
        actor=world.organizer,
        submission_ids=[world.subs[1].id, world.subs[2].id],
        decision=DecisionKind.REJECT,
    )
    result = services.release_decisions(event=world.event, actor=world.organizer)
    assert result == services.ReleaseResult(released=3, mails=4, skipped=0, no_address=0)
    assert [s.state for s in world.subs] == ["accepted", "rejected", "rejected"]
    assert all(s.pending_state is None for s in world.subs)
    mails = _mails(world.event.id)
    assert {m.state for m in mails} == {"held"}
    accepted = [m for m in mails if m.context["decision"] == "accepted"]
    assert sorted(m.recipients[0] for m in accepted) == sorted(
        [SPEAKER_EMAIL, world.co_speaker.email]
    )
    mine = next(m for m in accepted if m.recipients == [SPEAKER_EMAIL])
    assert mine.subject == "RevConf 2031 yes"
    assert mine.body_text.startswith(
        f"Hello {world.speaker.name}, Alpha talk: http://localhost/review/revconf/confirm/"
    )
    changes = db.session.scalars(
        select(SubmissionStateChange).where(SubmissionStateChange.submission_id == world.subs[0].id)
    ).all()
    assert [(c.from_state, c.to_state, c.actor_id) for c in changes] == [
        ("submitted", "accepted", world.organizer.id)
    ]
    decisions = db.session.scalars(select(Decision).order_by(Decision.id)).all()
    assert [(d.decision, d.decided_by_id, d.released_by_id) for d in decisions] == [
        ("accepted", world.organizer.id, world.organizer.id),
        ("rejected", world.organizer.id, world.organizer.id),
        ("rejected", world.organizer.id, world.organizer.id),
    ]
    assert all(d.released_at is not None for d in decisions)


def test_release_twice_mails_nobody_again(world: World) -> None:
    services.set_decisions(
        event=world.event,
        actor=world.organizer,
        submission_ids=[s.id for s in world.subs],
        decision=DecisionKind.ACCEPT,
    )
    first = services.release_decisions(event=world.event, actor=world.organizer)
    services.send_held_mails(event=world.event)
    second = services.release_decisions(event=world.event, actor=world.organizer)
    assert (first.mails, second.mails, second.released) == (4, 0, 0)
    assert len(_mails(world.event.id)) == 4


def test_release_racing_another_release_mails_nobody_twice(world: World) -> None:
    services.set_decisions(
        event=world.event,
        actor=world.organizer,
        submission_ids=[world.subs[0].id],
        decision=DecisionKind.ACCEPT,
    )
    fired = []

    def other_click_releases_meanwhile(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        # A second click's request applies the same decision right after this one read it.
        if fired or not statement.lstrip().upper().startswith("SELECT"):
            return
        if "pending_state IS NOT NULL" not in statement:
            return
        fired.append(statement)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as other:
            other.execute(
                text(
                    "UPDATE submissions SET pending_state = NULL, state = 'accepted' "
                    "WHERE event_id = :event AND pending_state IS NOT NULL"
                ),
                {"event": world.event.id},
            )

    sa_event.listen(db.engine, "after_cursor_execute", other_click_releases_meanwhile)
    try:
        result = services.release_decisions(event=world.event, actor=world.organizer)
    finally:
        sa_event.remove(db.engine, "after_cursor_execute", other_click_releases_meanwhile)
    assert len(fired) == 1
    assert result == services.ReleaseResult(released=0, mails=0, skipped=0, no_address=0)
    assert _mails(world.event.id) == []
    changes = db.session.scalar(
        select(func.count(SubmissionStateChange.id)).where(
            SubmissionStateChange.submission_id == world.subs[0].id
        )
    )
    assert changes == 0


def test_release_skips_decision_state_no_longer_allows(world: World) -> None:
    services.set_decisions(
        event=world.event,
        actor=world.organizer,
        submission_ids=[world.subs[0].id],
        decision=DecisionKind.ACCEPT,
    )
    world.subs[0].state = "withdrawn"
    db.session.commit()
    result = services.release_decisions(event=world.event, actor=world.organizer)
    assert (result.released, result.skipped, result.mails) == (0, 1, 0)


def _release_at_size(app, size: int) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    event = EventFactory()
    organizer = UserFactory()
    submissions = bulk_submissions(event, size, speakers_each=2)
    services.set_decisions(
        event=event,
        actor=organizer,
        submission_ids=[s.id for s in submissions[::2]],
        decision=DecisionKind.ACCEPT,
    )
    services.set_decisions(
        event=event,
        actor=organizer,
        submission_ids=[s.id for s in submissions[1::2]],
        decision=DecisionKind.REJECT,
    )
    db.session.expire_all()
    with count_queries() as log:
        result = services.release_decisions(event=event, actor=organizer)
    expected_pairs = db.session.scalar(
        select(func.count()).select_from(
            select(SubmissionSpeaker.submission_id, SubmissionSpeaker.speaker_id)
            .where(SubmissionSpeaker.submission_id.in_([s.id for s in submissions]))
            .subquery()
        )
    )
    mails = _mails(event.id)
    per_pair = Counter((m.context["submission_id"], m.context["speaker_profile_id"]) for m in mails)
    assert set(per_pair.values()) == {1}
    assert len(mails) == expected_pairs == result.mails
    assert result.released == size
    return log.count, len(mails), result.released


def test_release_500_decisions_bounded_queries_one_mail_per_speaker(app) -> None:  # type: ignore[no-untyped-def]
    small, small_mails, _ = _release_at_size(app, 50)
    large, large_mails, released = _release_at_size(app, 500)
    assert released == 500
    assert large_mails == 1000
    assert small_mails == 100
    assert large == small, f"{small} queries for 50 decisions but {large} for 500"


def test_answer_confirmation_records_speaker_and_time(world: World) -> None:
    services.set_decisions(
        event=world.event,
        actor=world.organizer,
        submission_ids=[world.subs[0].id],
        decision=DecisionKind.ACCEPT,
    )
    services.release_decisions(event=world.event, actor=world.organizer)
    services.send_held_mails(event=world.event)  # dash: speakers may answer once told
    services.answer_confirmation(
        event=world.event, user=world.co_speaker, submission_id=world.subs[0].id, answer="confirmed"
    )
    last = db.session.scalars(
        select(SubmissionStateChange)
        .where(SubmissionStateChange.submission_id == world.subs[0].id)
        .order_by(SubmissionStateChange.id.desc())
    ).first()
    assert (last.to_state, last.actor_id) == ("confirmed", world.co_speaker.id)
    assert last.created_at.tzinfo is not None


def test_answer_confirmation_refuses_non_speaker_and_unaccepted(world: World) -> None:
    with pytest.raises(services.NotASpeaker):
        services.answer_confirmation(
            event=world.event,
            user=world.reviewer,
            submission_id=world.subs[0].id,
            answer="confirmed",
        )
    with pytest.raises(services.ReviewError, match="not been accepted"):
        services.answer_confirmation(
            event=world.event,
            user=world.speaker,
            submission_id=world.subs[0].id,
            answer="confirmed",
        )


def test_confirmation_token_bound_to_event(world: World) -> None:
    token = services.make_confirmation_token(world.subs[0].id, world.event.id)
    assert services.read_confirmation_token(token, world.event.id) == world.subs[0].id
    with pytest.raises(services.NotVisible):
        services.read_confirmation_token(token, world.event.id + 1)
    with pytest.raises(services.NotVisible):
        services.read_confirmation_token(token[:-2] + "xx", world.event.id)
