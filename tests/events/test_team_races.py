"""Team changes that race: one invitation link accepted twice, organizers removed at once.

The PostgreSQL tests run two requests' service calls in two threads, each with its own app
context, session and connection. Thread A is held right after a chosen statement (it then holds
its lock); thread B starts and the test waits until B either waits for a lock or has finished,
then lets A go on. The interleaving is forced, not hoped for; every wait is bounded.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from podium.events import services
from podium.events.enums import TeamRole
from podium.events.models import EventMembership, TeamInvitation
from podium.extensions import db
from tests.support.auth import login
from tests.support.factories import EventFactory, MembershipFactory, UserFactory

# Generous: a busy CI machine may be slow, but nothing here should ever get near it.
TIMEOUT = 60.0


@dataclass
class _Run:
    """One thread's call: its result or the exception it raised, and its backend pid."""

    result: Any = None
    error: BaseException | None = None
    pid: int | None = None
    pid_known: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None


def _start(app: Flask, call: Callable[[], Any], *, before: Callable[[], None] = lambda: None):  # type: ignore[no-untyped-def]
    """Run ``call`` in a new thread with its own app context (so its own session)."""
    run = _Run()

    def target() -> None:
        try:
            with app.app_context():
                try:
                    before()
                    run.pid = db.session.scalar(text("SELECT pg_backend_pid()"))
                    run.pid_known.set()
                    run.result = call()
                finally:
                    db.session.remove()
        except BaseException as exc:  # handed to the test thread, which asserts on it
            run.error = exc
        finally:
            run.pid_known.set()
            run.done.set()

    run.thread = threading.Thread(target=target, daemon=True)
    run.thread.start()
    return run


class _HoldAfter:
    """An ``after_cursor_execute`` hook holding one thread right after a matching statement."""

    def __init__(self, needle: str) -> None:
        self.needle = needle
        self.ident: int | None = None
        self.reached = threading.Event()
        self.release = threading.Event()

    def mark_current_thread(self) -> None:
        self.ident = threading.get_ident()

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if threading.get_ident() != self.ident or self.reached.is_set():
            return
        if self.needle in statement:
            self.reached.set()
            if not self.release.wait(TIMEOUT):
                raise AssertionError("the test never let the held thread go on")


def _wait_until_blocked_or_done(run: _Run) -> None:
    """Return once ``run``'s connection waits for a lock or its call has finished."""
    assert run.pid_known.wait(TIMEOUT), "thread B never started"
    deadline = time.monotonic() + TIMEOUT
    with db.engine.connect() as watcher:
        # done.wait doubles as the polling interval and returns at once when B finishes.
        while not run.done.wait(0.01):
            waiting = watcher.scalar(
                text("SELECT count(*) FROM pg_locks WHERE pid = :pid AND NOT granted"),
                {"pid": run.pid},
            )
            if waiting:
                return
            watcher.rollback()
            assert time.monotonic() < deadline, "thread B neither waited for a lock nor finished"


def _race(app: Flask, hold: _HoldAfter, first: Callable[[], Any], second: Callable[[], Any]):  # type: ignore[no-untyped-def]
    """Run ``first`` until ``hold``'s statement, then ``second`` until it blocks or ends."""
    sa_event.listen(db.engine, "after_cursor_execute", hold)
    try:
        a = _start(app, first, before=hold.mark_current_thread)
        assert hold.reached.wait(TIMEOUT) or a.done.is_set(), "thread A never got there"
        b = _start(app, second)
        _wait_until_blocked_or_done(b)
        hold.release.set()
        for run in (a, b):
            run.thread.join(TIMEOUT)
            assert not run.thread.is_alive(), "a thread did not finish"
    finally:
        hold.release.set()
        sa_event.remove(db.engine, "after_cursor_execute", hold)
    db.session.expire_all()
    return a, b


# -- accepting one invitation twice -------------------------------------------------------------


def _invite(event, role: str = "organizer") -> str:  # type: ignore[no-untyped-def]
    _invitation, token = services.invite_team_member(
        event=event, email="team@example.org", role=role, invited_by=UserFactory()
    )
    return token


def _roles_in(event) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    rows = db.session.execute(
        select(EventMembership.user_id, EventMembership.role)
        .where(EventMembership.event_id == event.id)
        .order_by(EventMembership.id)
    )
    return [(user_id, role) for user_id, role in rows]


def test_invitation_accepted_by_second_account_after_first_is_refused(app) -> None:
    event = EventFactory()
    token = _invite(event)
    first, second = UserFactory(), UserFactory()
    seen_by_first = services.find_team_invitation(token)
    seen_by_second = services.find_team_invitation(token)

    services.accept_team_invitation(invitation=seen_by_first, user=first)
    with pytest.raises(services.InvitationUsedError, match="already been used"):
        services.accept_team_invitation(invitation=seen_by_second, user=second)

    assert _roles_in(event) == [(first.id, "organizer")]
    used = db.session.scalar(select(TeamInvitation))
    assert used.accepted_by_id == first.id


def test_invitation_accepted_twice_by_same_account_gives_its_membership(app) -> None:
    event = EventFactory()
    token = _invite(event, role="reviewer")
    user = UserFactory()
    seen = [services.find_team_invitation(token) for _ in range(2)]

    first = services.accept_team_invitation(invitation=seen[0], user=user)
    again = services.accept_team_invitation(invitation=seen[1], user=user)

    assert again.id == first.id
    assert _roles_in(event) == [(user.id, "reviewer")]


def test_invitation_accepted_meanwhile_by_another_account_shows_used_page(app, client) -> None:
    event = EventFactory()
    token = _invite(event)
    other, late = UserFactory(), UserFactory()
    login(client, late)

    def other_account_accepts_first(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        # The other account's request commits its acceptance just before this one's claim.
        if fired or not statement.lstrip().upper().startswith("UPDATE TEAM_INVITATIONS"):
            return
        fired.append(statement)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as other_request:
            other_request.execute(
                text(
                    "UPDATE team_invitations SET accepted_at = CURRENT_TIMESTAMP, "
                    "accepted_by_id = :user"
                ),
                {"user": other.id},
            )

    fired: list[str] = []
    sa_event.listen(db.engine, "before_cursor_execute", other_account_accepts_first)
    try:
        response = client.post(f"/invite/team/{token}")
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", other_account_accepts_first)

    assert len(fired) == 1
    assert response.status_code == 409
    assert "This invitation has already been used by another account" in response.get_data(
        as_text=True
    )
    assert _roles_in(event) == []


@pytest.mark.backend("postgresql")  # row locks between two connections
def test_invitation_accepted_by_two_accounts_at_once_gives_one_role(app) -> None:
    event = EventFactory()
    token = _invite(event)
    first_id, second_id = UserFactory().id, UserFactory().id

    def accept(user_id: int):  # type: ignore[no-untyped-def]
        def call() -> int:
            invitation = services.find_team_invitation(token)
            assert invitation is not None
            user = db.session.get(UserFactory._meta.model, user_id)
            return services.accept_team_invitation(invitation=invitation, user=user).user_id

        return call

    # A holds its claim (the row lock) uncommitted; B's claim must wait for it, then lose.
    hold = _HoldAfter("UPDATE team_invitations")
    a, b = _race(app, hold, accept(first_id), accept(second_id))

    assert a.error is None
    assert a.result == first_id
    assert isinstance(b.error, services.InvitationUsedError)
    assert _roles_in(event) == [(first_id, "organizer")]


# -- removing organizers ------------------------------------------------------------------------


def _organizers(event) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(
        select(func.count(EventMembership.id)).where(
            EventMembership.event_id == event.id,
            EventMembership.role == TeamRole.ORGANIZER.value,
        )
    )


def test_removing_both_organizers_one_after_the_other_keeps_one(app) -> None:
    event = EventFactory()
    first = MembershipFactory(event=event, user=UserFactory())
    second = MembershipFactory(event=event, user=UserFactory())

    services.remove_team_member(membership=first)
    with pytest.raises(services.EventError, match="at least one organizer"):
        services.remove_team_member(membership=second)

    assert _organizers(event) == 1
    assert db.session.get(EventMembership, second.id) is not None


def test_removing_a_membership_someone_else_just_removed_is_not_an_error(app) -> None:
    event = EventFactory()
    MembershipFactory(event=event, user=UserFactory())
    reviewer = MembershipFactory(event=event, user=UserFactory(), role="reviewer")
    reviewer_id = reviewer.id
    with db.engine.begin() as other_request:
        other_request.execute(
            EventMembership.__table__.delete().where(EventMembership.id == reviewer_id)
        )

    services.remove_team_member(membership=reviewer)

    assert db.session.get(EventMembership, reviewer_id) is None
    assert _organizers(event) == 1


@pytest.mark.backend("postgresql")  # row locks between two connections
def test_two_organizers_removing_each_other_at_once_leave_one(app) -> None:
    event = EventFactory()
    first = MembershipFactory(event=event, user=UserFactory())
    second = MembershipFactory(event=event, user=UserFactory())
    first_id, second_id = first.id, second.id

    def remove(membership_id: int):  # type: ignore[no-untyped-def]
        def call() -> None:
            membership = db.session.get(EventMembership, membership_id)
            services.remove_team_member(membership=membership)

        return call

    # A has locked the event and counted two organizers; B must wait, then count one.
    hold = _HoldAfter("count(event_memberships.id)")
    a, b = _race(app, hold, remove(second_id), remove(first_id))

    assert a.error is None
    assert isinstance(b.error, services.EventError)
    assert b.error.message == "An event needs at least one organizer."
    assert _organizers(event) == 1
    assert db.session.get(EventMembership, first_id) is not None


@pytest.mark.backend("sqlite")  # SQLite's single write lock
def test_remove_retries_when_sqlite_is_busy_instead_of_failing(app) -> None:
    event = EventFactory()
    MembershipFactory(event=event, user=UserFactory())
    leaving = MembershipFactory(event=event, user=UserFactory())
    leaving_id = leaving.id
    # Another process (the mail worker, another request) holds the write lock; this request's
    # connection gives up at once instead of after busy_timeout, as after a stale snapshot.
    blocker = sqlite3.connect(db.engine.url.database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    db.session.connection().exec_driver_sql("PRAGMA busy_timeout=0")
    errors: list[str] = []

    def other_writer_finishes(context) -> None:  # type: ignore[no-untyped-def]
        errors.append(str(context.original_exception))
        blocker.rollback()

    sa_event.listen(db.engine, "handle_error", other_writer_finishes)
    try:
        services.remove_team_member(membership=leaving)
    finally:
        sa_event.remove(db.engine, "handle_error", other_writer_finishes)
        blocker.close()

    assert errors == ["database is locked"]
    assert db.session.get(EventMembership, leaving_id) is None
    assert _organizers(event) == 1


def test_remove_still_busy_after_retries_is_a_clear_error(app, monkeypatch) -> None:
    event = EventFactory()
    MembershipFactory(event=event, user=UserFactory())
    leaving = MembershipFactory(event=event, user=UserFactory())
    attempts: list[int] = []

    def always_busy(**kwargs: object) -> None:
        attempts.append(1)
        raise OperationalError("UPDATE events", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(services, "_remove_membership", always_busy)
    monkeypatch.setattr(services, "_is_busy", lambda exc: True)

    with pytest.raises(services.EventError, match="at the same moment"):
        services.remove_team_member(membership=leaving)

    assert len(attempts) == services.BUSY_ATTEMPTS
    assert db.session.get(EventMembership, leaving.id) is not None
