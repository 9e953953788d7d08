"""Attack (or accident): the same form posted twice at once creates two objects.

A double click sends two identical POSTs that two workers run side by side. Each test here
posts the same form from two threads, each with its own test client, app context, session and
database connection: thread A is held right after it wrote the object (its transaction still
open), thread B is started and the test waits until B waits for a lock or has finished; then A
goes on. Both must end on the one object (same redirect), never an error page.

The races need PostgreSQL's row locks (SQLite serialises all writers); the plain double
submit, one after the other, runs on both.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, text

from podium.cfp.models import CoSpeakerInvitation, Submission
from podium.extensions import db
from podium.once import new_form_token
from podium.review.models import Decision, ReviewerAssignment
from podium.schedule.models import Slot
from tests.support.auth import login
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)

TIMEOUT = 60.0


@dataclass
class _Post:
    """One thread's POST: its status and Location, or the exception it raised."""

    answer: tuple[int, str] | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None


def _post_in_thread(client: FlaskClient, url: str, data: dict[str, object]) -> _Post:
    run = _Post()

    def target() -> None:
        try:
            response = client.post(url, data=data)
            run.answer = (response.status_code, response.headers.get("Location", ""))
        except BaseException as exc:  # handed to the test thread, which asserts on it
            run.error = exc
        finally:
            run.done.set()

    run.thread = threading.Thread(target=target, daemon=True)
    run.thread.start()
    return run


class _HoldAfter:
    """Hold the first thread that runs a statement containing ``needle``, right after it."""

    def __init__(self, needle: str) -> None:
        self.needle = needle
        self.ident: int | None = None
        self.reached = threading.Event()
        self.release = threading.Event()

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if self.reached.is_set() or self.needle not in statement:
            return
        self.ident = threading.get_ident()
        self.reached.set()
        if not self.release.wait(TIMEOUT):
            raise AssertionError("the test never let the held thread go on")


def _waiting_for_a_lock() -> int:
    with db.engine.connect() as watcher:
        return watcher.scalar(
            text("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()")
        )


def _double_click(
    app: Flask,
    make_client: Callable[[], FlaskClient],
    url: str,
    data: dict[str, object],
    needle: str,
) -> list[tuple[int, str]]:
    """POST ``data`` to ``url`` from two clients at once, A held after ``needle``."""
    hold = _HoldAfter(needle)
    sa_event.listen(db.engine, "after_cursor_execute", hold)
    try:
        a = _post_in_thread(make_client(), url, data)
        assert hold.reached.wait(TIMEOUT) and not a.done.is_set(), (a.answer, a.error)
        b = _post_in_thread(make_client(), url, data)
        deadline = time.monotonic() + TIMEOUT
        while not b.done.wait(0.02) and not _waiting_for_a_lock():
            assert time.monotonic() < deadline, "thread B neither waited nor finished"
        hold.release.set()
        for run in (a, b):
            run.thread.join(TIMEOUT)
            assert run.error is None, run.error
    finally:
        hold.release.set()
        sa_event.remove(db.engine, "after_cursor_execute", hold)
    db.session.expire_all()
    return [a.answer, b.answer]


def _count(model: type, *where) -> int:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _speaker_client(app: Flask, user) -> Callable[[], FlaskClient]:  # type: ignore[no-untyped-def]
    return lambda: login(app.test_client(), user)


def _proposal(token: str) -> dict[str, object]:
    return {
        "title": "One talk only",
        "abstract": "Abstract",
        "description": "",
        "notes": "",
        "session_type": "",
        "track": "",
        "duration_minutes": "30",
        "language": "en",
        "audience_level": "all",
        "action": "submit",
        "co_speaker_email": "co@example.org",
        "co_speaker_name": "Co Speaker",
        "form_token": token,
    }


@pytest.mark.backend("postgresql")
def test_simultaneous_proposal_posts_create_one_proposal(app: Flask) -> None:
    event = EventFactory()
    speaker = UserFactory()
    answers = _double_click(
        app,
        _speaker_client(app, speaker),
        f"/{event.slug}/submit",
        _proposal(new_form_token()),
        "INSERT INTO submissions",
    )
    assert answers == [(302, f"/{event.slug}/me/")] * 2
    assert _count(Submission) == 1
    assert _count(CoSpeakerInvitation) == 1


def test_the_same_proposal_form_posted_twice_creates_one_proposal(app: Flask) -> None:
    event = EventFactory()
    client = login(app.test_client(), UserFactory())
    data = _proposal(new_form_token())
    answers = [client.post(f"/{event.slug}/submit", data=data) for _ in range(2)]
    assert [(r.status_code, r.headers["Location"]) for r in answers] == [
        (302, f"/{event.slug}/me/")
    ] * 2
    assert _count(Submission) == 1
    # A new rendering of the form has a new token: that is a second proposal.
    client.post(f"/{event.slug}/submit", data=_proposal(new_form_token()))
    assert _count(Submission) == 2


def test_submit_form_carries_a_fresh_token(app: Flask) -> None:
    event = EventFactory()
    client = login(app.test_client(), UserFactory())
    pages = [client.get(f"/{event.slug}/submit").get_data(as_text=True) for _ in range(2)]
    tokens = [page.split('name="form_token" value="')[1].split('"')[0] for page in pages]
    assert [len(token) for token in tokens] == [32, 32]
    assert tokens[0] != tokens[1]


@pytest.mark.backend("postgresql")
def test_simultaneous_edits_inviting_a_co_speaker_create_one_invitation(app: Flask) -> None:
    event = EventFactory()
    speaker = UserFactory()
    submission = SubmissionFactory(
        event=event, speaker=SpeakerProfileFactory(user=speaker), state="draft"
    )
    data = {**_proposal(new_form_token()), "action": "save"}
    url = f"/{event.slug}/me/submissions/{submission.id}/edit"
    answers = _double_click(
        app, _speaker_client(app, speaker), url, data, "INSERT INTO co_speaker_invitations"
    )
    assert [status for status, _ in answers] == [302, 302]
    assert answers[0] == answers[1]
    assert _count(CoSpeakerInvitation) == 1


def test_the_same_edit_form_saved_twice_invites_once_and_keeps_later_edits(app: Flask) -> None:
    event = EventFactory()
    speaker = UserFactory()
    submission = SubmissionFactory(
        event=event, speaker=SpeakerProfileFactory(user=speaker), state="draft"
    )
    client = login(app.test_client(), speaker)
    url = f"/{event.slug}/me/submissions/{submission.id}/edit"
    data = {**_proposal(new_form_token()), "action": "save"}
    first = client.post(url, data=data)
    # Back in the browser, the title changed, saved again with the same form (same token).
    again = client.post(url, data={**data, "title": "Better title"})
    assert [first.status_code, again.status_code] == [302, 302]
    assert first.headers["Location"] == again.headers["Location"]
    assert _count(CoSpeakerInvitation) == 1
    assert db.session.get(Submission, submission.id).title == "Better title"
    # A new rendering of the form asking again for the same person is told so.
    third = client.post(url, data={**data, "form_token": new_form_token()})
    assert third.status_code == 400
    assert "co@example.org is already invited." in third.get_data(as_text=True)


@pytest.fixture
def organized(app: Flask):  # type: ignore[no-untyped-def]
    event = EventFactory(start_date=date(2030, 2, 2), end_date=date(2030, 2, 3))
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    return event, organizer


@pytest.mark.backend("postgresql")
def test_simultaneous_assignments_create_one_assignment(app: Flask, organized) -> None:  # type: ignore[no-untyped-def]
    event, organizer = organized
    reviewer = UserFactory()
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    answers = _double_click(
        app,
        _speaker_client(app, organizer),
        f"/orga/{event.slug}/review/assignments",
        {"reviewer_id": str(reviewer.id), "scope": "all", "form_token": new_form_token()},
        "INSERT INTO reviewer_assignments",
    )
    assert answers == [(302, f"/orga/{event.slug}/review/")] * 2
    assert _count(ReviewerAssignment) == 1


@pytest.mark.backend("postgresql")
def test_simultaneous_breaks_create_one_break(app: Flask, organized) -> None:  # type: ignore[no-untyped-def]
    event, organizer = organized
    answers = _double_click(
        app,
        _speaker_client(app, organizer),
        f"/orga/{event.slug}/schedule/blocks",
        {
            "title": "Lunch",
            "kind": "break",
            "room_id": 0,
            "start": "2030-02-02T12:00",
            "duration_minutes": 60,
            "form_token": new_form_token(),
        },
        "INSERT INTO slots",
    )
    assert [status for status, _ in answers] == [302, 302]
    assert answers[0] == answers[1]
    assert _count(Slot) == 1


@pytest.mark.backend("postgresql")
def test_simultaneous_decisions_record_one_decision(app: Flask, organized) -> None:  # type: ignore[no-untyped-def]
    event, organizer = organized
    submission = SubmissionFactory(event=event)
    answers = _double_click(
        app,
        _speaker_client(app, organizer),
        f"/orga/{event.slug}/decisions",
        {"submission_ids": [str(submission.id)], "decision": "accepted"},
        "UPDATE submissions",
    )
    assert [status for status, _ in answers] == [302, 302]
    assert _count(Decision) == 1
    assert db.session.get(Submission, submission.id).pending_state == "accepted"


def test_a_token_from_another_form_does_not_return_its_object(app: Flask, organized) -> None:  # type: ignore[no-untyped-def]
    event, organizer = organized
    client = login(app.test_client(), organizer)
    token = new_form_token()
    block = {
        "title": "Lunch",
        "kind": "break",
        "room_id": 0,
        "start": "2030-02-02T12:00",
        "duration_minutes": 60,
        "form_token": token,
    }
    assert client.post(f"/orga/{event.slug}/schedule/blocks", data=block).status_code == 302
    reviewer = UserFactory()
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    reused = client.post(
        f"/orga/{event.slug}/review/assignments",
        data={"reviewer_id": str(reviewer.id), "scope": "all", "form_token": token},
    )
    assert reused.status_code == 302
    assert (_count(Slot), _count(ReviewerAssignment)) == (1, 1)
