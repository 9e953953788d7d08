"""Organizers read every review: submission page, ranking detail and ranking.csv.

Reviewers must never reach another reviewer's score or comment (anonymised or not).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import lxml.html
from flask import Flask
from flask.testing import FlaskClient

from podium.extensions import db
from podium.review import services
from podium.review.models import Review
from tests.review.conftest import World, bulk_submissions
from tests.support.auth import login
from tests.support.queries import count_queries

RITA_COMMENT = "Rita-comment-5521: strong outline,\nweak demo"
SAM_COMMENT = '=HYPERLINK("http://evil")'


def _client(app: Flask, user) -> FlaskClient:  # type: ignore[no-untyped-def]
    return login(app.test_client(), user)


def _review(world: World, reviewer, sub, score: int, comment: str = "") -> None:  # type: ignore[no-untyped-def]
    services.save_review(
        event=world.event, reviewer=reviewer, submission_id=sub.id, score=score, comment=comment
    )


def _stamp(sub_id: int, reviewer_id: int, created: datetime, updated: datetime) -> None:
    review = db.session.query(Review).filter_by(submission_id=sub_id, reviewer_id=reviewer_id).one()
    review.created_at, review.updated_at = created, updated
    db.session.commit()


def _table(html: str, css_class: str) -> list[list[str]]:
    (table,) = lxml.html.fromstring(html).find_class(css_class)
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")]
        for row in table.xpath(".//tr")
    ]


def _scored_world(world: World) -> None:
    world.event.time_zone = "Europe/Brussels"
    world.event.score_labels = {"3": "Must have"}
    db.session.commit()
    _review(world, world.reviewer, world.subs[0], 3, RITA_COMMENT)
    _review(world, world.reviewer_speaker, world.subs[0], 1, SAM_COMMENT)
    _review(world, world.reviewer, world.subs[1], 2)
    alpha = world.subs[0].id
    _stamp(
        alpha,
        world.reviewer.id,
        datetime(2031, 3, 1, 9, 0, tzinfo=UTC),
        datetime(2031, 3, 1, 9, 0, tzinfo=UTC),
    )
    _stamp(
        alpha,
        world.reviewer_speaker.id,
        datetime(2031, 3, 2, 10, 0, tzinfo=UTC),
        datetime(2031, 3, 4, 17, 30, tzinfo=UTC),
    )


def test_orga_submission_page_lists_every_review(app: Flask, world: World) -> None:
    _scored_world(world)
    page = _client(app, world.organizer).get(
        f"/orga/{world.event.slug}/submissions/{world.subs[0].id}"
    )
    assert page.status_code == 200
    assert _table(page.get_data(as_text=True), "submission-reviews") == [
        ["Reviewer", "Score", "Comment", "Reviewed"],
        [
            "Rita Reviewer",
            "3 · Must have",
            "Rita-comment-5521: strong outline, weak demo",
            "2031-03-01 10:00",
        ],
        ["Sam Selfreviewer", "1", SAM_COMMENT, "2031-03-04 18:30 (edited; first 2031-03-02 11:00)"],
    ]
    assert "2 review(s) · mean 2.00" in page.get_data(as_text=True)


def test_orga_submission_page_without_reviews(app: Flask, world: World) -> None:
    page = _client(app, world.admin).get(f"/orga/{world.event.slug}/submissions/{world.subs[2].id}")
    text = page.get_data(as_text=True)
    assert lxml.html.fromstring(text).find_class("submission-reviews") == []
    assert "No reviews yet." in text


def test_ranking_detail_shows_scores_per_reviewer_and_comments(app: Flask, world: World) -> None:
    _scored_world(world)
    client = _client(app, world.organizer)
    plain = client.get(f"/orga/{world.event.slug}/ranking?sort=title&dir=asc").get_data(
        as_text=True
    )
    assert _table(plain, "review-ranking")[0][-1] == "Not reviewed by"
    assert "Rita-comment-5521" not in plain
    page = client.get(f"/orga/{world.event.slug}/ranking?sort=title&dir=asc&detail=1")
    rows = _table(page.get_data(as_text=True), "review-ranking")
    assert [r[0] for r in rows] == ["Title ▲", "Alpha talk", "Beta talk", "Gamma talk", "Own talk"]
    assert [r[10:] for r in rows] == [
        ["Rita Reviewer", "Sam Selfreviewer", "Comments"],
        [
            "3",
            "1",
            "Rita Reviewer (3): Rita-comment-5521: strong outline, weak demo "
            f"Sam Selfreviewer (1): {SAM_COMMENT}",
        ],
        ["2", "—", ""],
        ["—", "—", ""],
        ["—", "—", ""],
    ]
    # Sorting and filtering keep the detail on.
    tree = lxml.html.fromstring(page.get_data(as_text=True))
    sort_href = tree.xpath("//table//th//a")[0].get("href")
    assert "detail=1" in sort_href
    assert tree.xpath("//form[@class='review-filters']//input[@name='detail']/@value") == ["1"]


def test_ranking_csv_carries_scores_per_reviewer_and_comments(app: Flask, world: World) -> None:
    _scored_world(world)
    body = (
        _client(app, world.organizer)
        .get(f"/orga/{world.event.slug}/ranking.csv?sort=title&dir=asc")
        .get_data(as_text=True)
    )
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][12:] == ["score: Rita Reviewer", "score: Sam Selfreviewer", "comments"]
    assert [r[1:2] + r[12:] for r in rows[1:]] == [
        [
            "Alpha talk",
            "3",
            "1",
            # The cell starts with the reviewer's name; a comment can't start a formula.
            f"Rita Reviewer (3): {RITA_COMMENT}\nSam Selfreviewer (1): {SAM_COMMENT}",
        ],
        ["Beta talk", "2", "", ""],
        ["Gamma talk", "", "", ""],
        ["Own talk", "", "", ""],
    ]


def test_ranking_csv_reviewer_named_like_a_formula_is_escaped(app: Flask, world: World) -> None:
    world.reviewer.name = "=cmd|' /C calc'!A0"
    db.session.commit()
    _review(world, world.reviewer, world.subs[0], 2, "fine")
    body = (
        _client(app, world.organizer)
        .get(f"/orga/{world.event.slug}/ranking.csv?sort=title&dir=asc")
        .get_data(as_text=True)
    )
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][12:] == ["score: =cmd|' /C calc'!A0", "comments"]
    assert rows[1][12:] == ["2", "'=cmd|' /C calc'!A0 (2): fine"]


def _detail_queries(app: Flask, world: World, extra: int, url: str) -> int:
    subs = bulk_submissions(world.event, extra)
    for i, sub in enumerate(subs):
        _review(world, world.reviewer, sub, 2, f"comment {i}")
        if i % 2:
            _review(world, world.reviewer_speaker, sub, 1, "")
    client = _client(app, world.organizer)
    client.get(url)  # warm up: load the user once
    with count_queries() as log:
        response = client.get(url)
    assert response.status_code == 200
    return log.count


def test_ranking_detail_bounded_queries(app: Flask, world: World) -> None:
    url = f"/orga/{world.event.slug}/ranking?detail=1"
    small = _detail_queries(app, world, 4, url)
    large = _detail_queries(app, world, 50, url)
    assert small == large


def test_ranking_csv_bounded_queries(app: Flask, world: World) -> None:
    url = f"/orga/{world.event.slug}/ranking.csv"
    small = _detail_queries(app, world, 4, url)
    large = _detail_queries(app, world, 50, url)
    assert small == large


def test_reviewer_never_sees_another_reviewers_review(app: Flask, world: World) -> None:
    _review(world, world.reviewer_speaker, world.subs[0], 1, RITA_COMMENT.replace("Rita", "Sam"))
    client = _client(app, world.reviewer)
    slug = world.event.slug
    marker = "Sam-comment-5521"
    bodies = {
        "list": client.get(f"/review/{slug}/"),
        "csv": client.get(f"/review/{slug}/submissions.csv"),
        "json": client.get(f"/review/{slug}/submissions.json"),
        "show": client.get(f"/review/{slug}/{world.subs[0].id}"),
        "ranking": client.get(f"/orga/{slug}/ranking?detail=1"),
        "ranking csv": client.get(f"/orga/{slug}/ranking.csv"),
        "orga submission": client.get(f"/orga/{slug}/submissions/{world.subs[0].id}"),
    }
    statuses = {label: r.status_code for label, r in bodies.items()}
    assert statuses == {
        "list": 200,
        "csv": 200,
        "json": 200,
        "show": 200,
        "ranking": 403,
        "ranking csv": 403,
        "orga submission": 403,
    }
    leaks = [label for label, r in bodies.items() if marker in r.get_data(as_text=True)]
    assert leaks == []
