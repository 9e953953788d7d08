"""The score-category migration keeps every ranking: reviews seeded at the old head (one score
per review on the event's scale) rank exactly as before once their scores moved into each
event's single "Overall" category, on SQLite and PostgreSQL.

The "before" ranking is computed from the old ``reviews.score`` column with the old ranking
rules (figures rounded as they were, rows without reviews last, ties by id).
"""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from podium import create_app
from podium.database import init_migrations
from podium.db import UTCDateTime
from podium.events.models import Event
from podium.extensions import db
from podium.review import queries
from podium.review.models import ReviewScore, ScoreCategory
from tests.conftest import base_test_config, create_postgres_database, drop_postgres_database
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    SubmissionFactory,
    TrackFactory,
    UserFactory,
)

# The revision just before the score migration. The factories insert with today's models, so
# the seed needs every other column already there: keep this the score migration's parent.
OLD_HEAD = "ag15agenda01"
# The rankings are compared with the current code, so on the current schema: the migrations
# after the score migration (rc13a1b2c3d4) do not touch reviews or scores.
NEW_HEAD = "head"
SORTS = ("mean", "median", "count", "spread", "stddev", "title", "id")
AT = datetime(2031, 3, 1, 9, 0, tzinfo=UTC)

# The reviews table as it was at OLD_HEAD (with its single score column).
OLD_REVIEWS = sa.table(
    "reviews",
    sa.column("submission_id", sa.Integer),
    sa.column("reviewer_id", sa.Integer),
    sa.column("score", sa.Integer),
    sa.column("comment", sa.Text),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)


def _seed_old() -> tuple[list[int], list[dict[str, Any]]]:
    """Two events (scales 0..3 with labels, -2..2), submissions with 0-5 reviews each.

    Runs on the current schema (the factories write every column the models have, including
    ones added after OLD_HEAD); returns the event ids and the reviews to insert once the
    database is back at OLD_HEAD.
    """
    all_rows: list[dict[str, Any]] = []
    rng = random.Random(1313)  # noqa: S311  repeatable test data, not secrets
    event_ids = []
    for scale, labels in (((0, 3), {"3": "Must have"}), ((-2, 2), {"-2": "No", "2": "Yes"})):
        event = EventFactory(score_min=scale[0], score_max=scale[1], score_labels=labels)
        track = TrackFactory(event=event)
        reviewers = [UserFactory() for _ in range(5)]
        for reviewer in reviewers:
            MembershipFactory(event=event, user=reviewer, role="reviewer")
        rows = []
        for n in range(14):
            submission = SubmissionFactory(
                event=event, title=f"Talk {rng.randint(0, 5)}", track=track if n % 2 else None
            )
            # Duplicated titles and repeated score sets make ties that only the id breaks.
            for reviewer in rng.sample(reviewers, rng.randint(0, 5)):
                rows.append(
                    {
                        "submission_id": submission.id,
                        "reviewer_id": reviewer.id,
                        "score": rng.randint(*scale),
                        "comment": f"c{n}",
                        "created_at": AT,
                        "updated_at": AT,
                    }
                )
        all_rows.extend(rows)
        db.session.commit()
        event_ids.append(event.id)
    return event_ids, all_rows


def _old_ranking(event_id: int) -> dict[tuple[str, bool], list[tuple[Any, ...]]]:
    """The ranking the old code computed from ``reviews.score``, for every sort and direction."""
    titles = dict(
        db.session.execute(
            sa.text("SELECT id, title FROM submissions WHERE event_id = :e"), {"e": event_id}
        ).all()
    )
    scores: dict[int, list[int]] = {sub_id: [] for sub_id in titles}
    for sub_id, score in db.session.execute(
        sa.text(
            "SELECT reviews.submission_id, reviews.score FROM reviews"
            " JOIN submissions ON submissions.id = reviews.submission_id"
            " WHERE submissions.event_id = :e"
        ),
        {"e": event_id},
    ):
        scores[sub_id].append(score)
    figures = {}
    for sub_id, values in scores.items():
        if values:
            figures[sub_id] = {
                "mean": round(statistics.fmean(values), 2),
                "median": float(statistics.median(values)),
                "spread": max(values) - min(values),
                "stddev": round(statistics.pstdev(values), 2),
            }
        else:
            figures[sub_id] = dict.fromkeys(("mean", "median", "spread", "stddev"))
        figures[sub_id]["count"] = len(values)
        figures[sub_id]["title"] = titles[sub_id].casefold()
        figures[sub_id]["id"] = sub_id
    result = {}
    for key in SORTS:
        for descending in (True, False):
            ids = sorted(figures)
            present = [i for i in ids if figures[i][key] is not None]
            absent = [i for i in ids if figures[i][key] is None]
            present.sort(key=lambda i, k=key: figures[i][k], reverse=descending)
            result[(key, descending)] = [_figures_row(i, figures[i]) for i in present + absent]
    return result


def _figures_row(sub_id: int, f: dict[str, Any]) -> tuple[Any, ...]:
    return (sub_id, f["mean"], f["median"], f["spread"], f["stddev"], f["count"])


def _new_ranking(event_id: int) -> dict[tuple[str, bool], list[tuple[Any, ...]]]:
    event = db.session.get(Event, event_id)
    result = {}
    for key in SORTS:
        for descending in (True, False):
            rows = queries.ranking(event, queries.RankingFilters(sort=key, descending=descending))
            result[(key, descending)] = [
                (r.id, r.mean, r.median, r.spread, r.stddev, r.count) for r in rows
            ]
    return result


def _check(url: str, instance: Path) -> None:
    app = create_app(base_test_config(url, instance))
    init_migrations(app)
    directory = app.config["MIGRATIONS_DIR"]
    with app.app_context():
        upgrade(directory=directory, revision="head")
        event_ids, review_rows = _seed_old()
        db.session.remove()
        downgrade(directory=directory, revision=OLD_HEAD)
        db.session.execute(sa.insert(OLD_REVIEWS), review_rows)
        db.session.commit()
        before = {e: _old_ranking(e) for e in event_ids}
        reviews_before = db.session.execute(sa.text("SELECT count(*) FROM reviews")).scalar_one()
        db.session.remove()

        upgrade(directory=directory, revision=NEW_HEAD)
        assert reviews_before > 40
        for event_id in event_ids:
            assert _new_ranking(event_id) == before[event_id]
        # One category per event, on its scale and labels, holding every score.
        categories = db.session.execute(
            sa.select(
                ScoreCategory.event_id,
                ScoreCategory.name,
                ScoreCategory.score_min,
                ScoreCategory.score_max,
                ScoreCategory.labels,
                ScoreCategory.weight,
            ).order_by(ScoreCategory.event_id)
        ).all()
        assert [tuple(c) for c in categories] == [
            (event_ids[0], "Overall", 0, 3, {"3": "Must have"}, 1),
            (event_ids[1], "Overall", -2, 2, {"-2": "No", "2": "Yes"}, 1),
        ]
        assert db.session.scalar(sa.select(sa.func.count(ReviewScore.id))) == reviews_before
        db.session.remove()

        # Down again: every review gets its score back.
        downgrade(directory=directory, revision=OLD_HEAD)
        for event_id in event_ids:
            assert _old_ranking(event_id) == before[event_id]
        db.session.remove()
        db.engine.dispose()


def test_score_migration_keeps_every_ranking_on_sqlite(tmp_path: Path) -> None:
    _check(f"sqlite:///{tmp_path / 'rank.db'}", tmp_path / "instance")


@pytest.mark.postgres
def test_score_migration_keeps_every_ranking_on_postgresql(
    postgres_server_url: str, tmp_path: Path
) -> None:
    url = create_postgres_database(postgres_server_url, prefix="podium_rank")
    try:
        _check(url, tmp_path / "instance")
    finally:
        drop_postgres_database(postgres_server_url, url)
