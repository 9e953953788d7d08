"""Benchmark: what custom CfP questions cost the organizer's CSV export, the reviewer's JSON
export and publishing a release, at conference size.

Builds (SQLite in a temporary folder) an event with ``--submissions`` proposals, each with
one speaker, and ``--questions`` questions (half about the submission, half about the
speaker, every third one public), every one answered; then prints the median wall time and
the number of SQL statements of: the organizer's submissions CSV, the reviewer's JSON export,
and ``publish_release``, plus the release snapshot's size with and without public answers.
Target: statement counts do not grow with the number of proposals; the CSV stays under a
second for 1000 proposals.

    .venv/bin/python bench/bench_questions.py [--submissions N] [--questions Q] [--repeat R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from sqlalchemy import event as sa_event

    from podium import create_app
    from podium.accounts.models import User
    from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
    from podium.events.models import Event, EventMembership, Room
    from podium.extensions import db
    from podium.questions.models import Answer, Question
    from podium.review.models import ReviewerAssignment
    from podium.schedule.models import Slot
    from podium.schedule.services import publish_release

    folder = Path(tempfile.mkdtemp(prefix="podium-bench-"))
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "bench-secret-key-0123456789abcdef",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    statements: list[str] = []
    with app.app_context():
        db.create_all()
        sa_event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        start = dt.datetime(2030, 2, 1, 9, tzinfo=dt.UTC)
        event = Event(
            slug="bench",
            name="Bench",
            time_zone="Europe/Brussels",
            start_date=start.date(),
            end_date=start.date() + dt.timedelta(days=30),
        )
        organizer = User(email="o@example.org", name="O", security_stamp="o")
        reviewer = User(email="r@example.org", name="R", security_stamp="r")
        db.session.add_all([event, organizer, reviewer])
        db.session.flush()
        db.session.add_all(
            [
                EventMembership(event_id=event.id, user_id=organizer.id, role="organizer"),
                EventMembership(event_id=event.id, user_id=reviewer.id, role="reviewer"),
                ReviewerAssignment(event_id=event.id, reviewer_id=reviewer.id),
            ]
        )
        room = Room(event_id=event.id, name="Hall")
        questions = [
            Question(
                event_id=event.id,
                label=f"Question {i}",
                kind="short_text",
                target="submission" if i % 2 else "speaker",
                position=i,
                is_public=i % 3 == 0,
            )
            for i in range(args.questions)
        ]
        db.session.add_all([room, *questions])
        db.session.flush()
        for i in range(args.submissions):
            profile = SpeakerProfile(name=f"Speaker {i}")
            submission = Submission(
                event_id=event.id,
                guid=str(uuid.uuid4()),
                title=f"Talk {i}",
                duration_minutes=30,
                state="confirmed",
            )
            db.session.add_all([profile, submission])
            db.session.flush()
            db.session.add(SubmissionSpeaker(submission_id=submission.id, speaker_id=profile.id))
            at = start + dt.timedelta(minutes=30 * i)
            db.session.add(
                Slot(
                    event_id=event.id,
                    submission_id=submission.id,
                    room_id=room.id,
                    start_at=at,
                    end_at=at + dt.timedelta(minutes=30),
                )
            )
            for q in questions:
                owner = (
                    {"submission_id": submission.id}
                    if q.target == "submission"
                    else {"speaker_id": profile.id}
                )
                db.session.add(Answer(question_id=q.id, value=f"answer {i} to {q.id}", **owner))
        db.session.commit()

        def measure(user: User, url: str) -> tuple[float, int, int]:
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = user.get_id()
            times, size = [], 0
            for _ in range(args.repeat):
                statements.clear()
                began = time.perf_counter()
                with app.app_context():  # a fresh ``g``: the logged-in user is not remembered
                    response = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                size = len(response.data)
            return statistics.median(times), len(statements), size

        # Reviewers see only submitted proposals: review the same rows in that state.
        print(f"{args.submissions} proposals x {args.questions} questions, all answered, SQLite")
        ms, count, size = measure(organizer, "/orga/bench/submissions.csv")
        kib = size / 1024
        print(f"{'organizer CSV':<22} median {ms:8.1f} ms  {count:3d} statements  {kib:8.1f} KiB")
        db.session.query(Submission).update({"state": "submitted"})
        db.session.commit()
        ms, count, size = measure(reviewer, "/review/bench/submissions.json")
        kib = size / 1024
        print(f"{'reviewer JSON':<22} median {ms:8.1f} ms  {count:3d} statements  {kib:8.1f} KiB")
        db.session.query(Submission).update({"state": "confirmed"})
        db.session.commit()

        for public in (False, True):
            db.session.query(Question).update({"is_public": public})
            db.session.commit()
            statements.clear()
            began = time.perf_counter()
            release = publish_release(event=event, actor=None, allow_unchanged=True)
            ms = (time.perf_counter() - began) * 1000
            size = len(json.dumps(release.snapshot))
            label = "publish, all public" if public else "publish, none public"
            count, kib = len(statements), size / 1024
            print(f"{label:<22} {ms:15.1f} ms  {count:3d} statements  {kib:8.1f} KiB snapshot")


if __name__ == "__main__":
    main()
