"""Score categories: scales, weights, track limits, how totals are computed and ranked, and
the pages that show and edit them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from flask import Flask
from sqlalchemy import select

from podium.extensions import db
from podium.review import queries, services
from podium.review.models import Review, ReviewScore, ScoreCategory
from podium.review.scoring import CategoryView, applicable, review_total
from tests.review.conftest import World, bulk_submissions
from tests.support.auth import login
from tests.support.factories import EventFactory, MembershipFactory, TrackFactory, UserFactory
from tests.support.permissions import Route, check_matrix
from tests.support.queries import count_queries


def _category(cid: int, lo: int, hi: int, weight: int = 1, tracks=()) -> CategoryView:  # type: ignore[no-untyped-def]
    return CategoryView(
        id=cid,
        name=f"c{cid}",
        help_text="",
        score_min=lo,
        score_max=hi,
        weight=weight,
        track_ids=frozenset(tracks),
    )


# --- the total rule (pure) ---------------------------------------------------------------------


def test_total_of_one_category_on_the_reference_scale_is_the_score_itself() -> None:
    overall = _category(1, 0, 3)
    assert [review_total({1: v}, [overall], 0, 3) for v in range(4)] == [0, 1, 2, 3]
    assert isinstance(review_total({1: 2}, [overall], 0, 3), int)


def test_total_maps_each_scale_onto_the_reference_scale_and_weights_the_mean() -> None:
    content = _category(1, 1, 5, weight=3)  # 5 -> 3.0 on 0..3, 3 -> 1.5
    speaker = _category(2, 0, 1, weight=1)  # 1 -> 3.0, 0 -> 0.0
    cats = [content, speaker]
    assert review_total({1: 5, 2: 1}, cats, 0, 3) == 3
    # (3 * 1.5 + 1 * 0.0) / 4 = 1.125
    assert review_total({1: 3, 2: 0}, cats, 0, 3) == 1.12
    assert review_total({1: 1, 2: 1}, cats, 0, 3) == 0.75


def test_total_leaves_out_unscored_categories_and_is_none_without_any() -> None:
    cats = [_category(1, 0, 3, weight=2), _category(2, 0, 3, weight=1)]
    assert review_total({2: 3}, cats, 0, 3) == 3
    assert review_total({}, cats, 0, 3) is None


def test_applicable_categories_follow_the_submissions_track() -> None:
    everyone = _category(1, 0, 3)
    only_a = _category(2, 0, 3, tracks={10})
    assert applicable([everyone, only_a], 10) == [everyone, only_a]
    assert applicable([everyone, only_a], 11) == [everyone]
    assert applicable([everyone, only_a], None) == [everyone]


# --- category services ---------------------------------------------------------------------------


def _add(world: World, name: str, **kwargs) -> ScoreCategory:  # type: ignore[no-untyped-def]
    values = {"score_min": 0, "score_max": 3, "labels": {}, "weight": 1} | kwargs
    return services.save_category(event=world.event, name=name, **values)


def test_first_added_category_keeps_the_implicit_overall_one(world: World) -> None:
    world.event.score_labels = {"3": "Must have"}
    db.session.commit()
    assert [c.id for c in queries.categories_of(world.event)] == [None]
    _add(world, "Content", score_min=1, score_max=5, labels={5: "Excellent"}, weight=2)
    assert [
        (c.name, c.score_min, c.score_max, dict(c.labels), c.weight, c.track_ids)
        for c in queries.categories_of(world.event)
    ] == [
        ("Overall", 0, 3, {"3": "Must have"}, 1, frozenset()),
        ("Content", 1, 5, {"5": "Excellent"}, 2, frozenset()),
    ]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"name": " "}, "name", "give the category a name"),
        ({"score_max": 0}, "score_max", "the lowest score must be below the highest"),
        ({"score_max": 30}, "score_max", "a scale has at most 21 values"),
        ({"labels": {9: "x"}}, "labels", "labels for values outside the scale: [9]"),
        ({"weight": 0}, "weight", "enter a weight between 1 and 100"),
        ({"weight": 101}, "weight", "enter a weight between 1 and 100"),
    ],
)
def test_save_category_refuses_bad_input_naming_the_field(
    world: World, kwargs: dict, field: str, message: str
) -> None:
    values = {"name": "Content", "score_min": 0, "score_max": 3, "labels": {}, "weight": 1}
    with pytest.raises(services.ReviewError) as caught:
        services.save_category(event=world.event, **(values | kwargs))
    assert (caught.value.field, str(caught.value)) == (field, message)
    assert db.session.scalars(select(ScoreCategory)).all() == []


def test_category_for_another_events_track_is_refused(world: World) -> None:
    foreign = TrackFactory(event=EventFactory())
    with pytest.raises(services.ReviewError) as caught:
        _add(world, "Content", track_ids=[foreign.id])
    assert (caught.value.field, str(caught.value)) == ("track_ids", "choose tracks of this event")


def test_some_category_must_apply_to_every_track(world: World) -> None:
    overall = queries.categories_of(world.event)[0]
    assert overall.id is None
    limited = _add(world, "Demo quality", track_ids=[world.track_a.id])
    stored_overall = queries.categories_of(world.event)[0]
    with pytest.raises(services.ReviewError) as caught:
        services.delete_category(event=world.event, category_id=stored_overall.id)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "at least one category must apply to every track (leave its tracks empty)"
    )
    with pytest.raises(services.ReviewError):
        services.save_category(
            event=world.event,
            category_id=stored_overall.id,
            name="Overall",
            score_min=0,
            score_max=3,
            labels={},
            weight=1,
            track_ids=[world.track_b.id],
        )
    assert [(c.name, c.track_ids) for c in queries.categories_of(world.event)] == [
        ("Overall", frozenset()),
        ("Demo quality", frozenset({world.track_a.id})),
    ]
    assert limited.id is not None


def test_editing_a_scale_below_given_scores_is_refused(world: World) -> None:
    _review(world, world.subs[0], score=3)
    overall = queries.categories_of(world.event)[0]
    with pytest.raises(services.ReviewError) as caught:
        services.save_category(
            event=world.event,
            category_id=overall.id,
            name="Overall",
            score_min=0,
            score_max=2,
            labels={},
            weight=1,
        )
    assert (caught.value.field, str(caught.value)) == (
        "score_min",
        "existing reviews have scores outside this range; widen it",
    )


def test_settings_scale_is_the_single_categorys_scale(world: World) -> None:
    _review(world, world.subs[0], score=2)
    services.update_review_settings(
        event=world.event,
        anonymised=False,
        closes_at=None,
        score_min=-2,
        score_max=2,
        labels={-2: "No", 2: "Yes"},
    )
    (overall,) = queries.categories_of(world.event)
    assert (overall.score_min, overall.score_max, dict(overall.labels)) == (
        -2,
        2,
        {"-2": "No", "2": "Yes"},
    )
    with pytest.raises(services.ReviewError) as caught:
        services.update_review_settings(
            event=world.event,
            anonymised=False,
            closes_at=None,
            score_min=-1,
            score_max=1,
            labels={},
        )
    assert caught.value.field == "score_min"


# --- reviewing with categories -----------------------------------------------------------------


def _review(world: World, sub, score=None, scores=None, reviewer=None) -> Review:  # type: ignore[no-untyped-def]
    return services.save_review(
        event=world.event,
        reviewer=reviewer or world.reviewer,
        submission_id=sub.id,
        score=score,
        scores=scores,
        comment="",
    )


def _three_categories(world: World) -> tuple[int, int, int]:
    """Overall 0..3 (every track), Content 1..5 weight 3, Demo 0..1 only in track A."""
    _add(world, "Content", score_min=1, score_max=5, weight=3, labels={5: "Excellent"})
    _add(world, "Demo", score_min=0, score_max=1, track_ids=[world.track_a.id])
    overall, content, demo = (c.id for c in queries.categories_of(world.event))
    return overall, content, demo  # type: ignore[return-value]


def _stored(review: Review) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(ReviewScore.category_id, ReviewScore.value).where(
                ReviewScore.review_id == review.id
            )
        ).all()
    )


def test_a_submission_is_scored_on_its_applicable_categories_only(world: World) -> None:
    overall, content, demo = _three_categories(world)
    in_a = _review(world, world.subs[0], scores={overall: 3, content: 5, demo: 1})
    in_b = _review(world, world.subs[2], scores={overall: 3, content: 5})
    assert (_stored(in_a), _stored(in_b)) == (
        {overall: 3, content: 5, demo: 1},
        {overall: 3, content: 5},
    )
    with pytest.raises(services.ReviewError) as caught:
        _review(world, world.subs[2], scores={overall: 3, content: 5, demo: 1})
    assert str(caught.value) == f"these categories do not apply to this submission: [{demo}]"


def test_every_applicable_category_needs_a_value_on_its_scale(world: World) -> None:
    overall, content, demo = _three_categories(world)
    with pytest.raises(services.ReviewError) as caught:
        _review(world, world.subs[0], scores={overall: 3, content: 5})
    assert (caught.value.field, str(caught.value)) == (f"score_{demo}", "give a score for Demo")
    with pytest.raises(services.ReviewError) as caught:
        _review(world, world.subs[0], scores={overall: 3, content: 6, demo: 0})
    assert (caught.value.field, str(caught.value)) == (
        f"score_{content}",
        "Content: the score must be between 1 and 5",
    )
    with pytest.raises(services.ReviewError):
        _review(world, world.subs[0], score=3)  # one score but three categories
    assert db.session.scalars(select(ReviewScore)).all() == []


def test_totals_of_different_tracks_are_comparable_in_the_ranking(world: World) -> None:
    overall, content, demo = _three_categories(world)
    # Best marks everywhere: both totals are the top of the reference scale (3), although
    # the submission in track B was not scored on Demo.
    _review(world, world.subs[0], scores={overall: 3, content: 5, demo: 1})
    _review(world, world.subs[2], scores={overall: 3, content: 5})
    # Alpha's second review: (1*0 + 3*0 + 1*0) / 5 = 0 -> mean 1.5
    _review(world, world.subs[1], scores={overall: 2, content: 3, demo: 0})
    rows = queries.ranking(world.event)
    assert [(r.title, r.mean, r.scores, r.category_means) for r in rows] == [
        ("Alpha talk", 3.0, [3], {overall: 3.0, content: 5.0, demo: 1.0}),
        ("Gamma talk", 3.0, [3], {overall: 3.0, content: 5.0}),
        # (1*2 + 3*1.5 + 1*0) / 5 = 1.3
        ("Beta talk", 1.3, [1.3], {overall: 2.0, content: 3.0, demo: 0.0}),
        ("Own talk", None, [], {}),
    ]
    by_demo = queries.ranking(world.event, queries.RankingFilters(sort=f"cat{demo}"))
    assert [r.title for r in by_demo] == ["Alpha talk", "Beta talk", "Gamma talk", "Own talk"]
    assert queries.RankingFilters.from_args({"sort": f"cat{demo}"}).sort == f"cat{demo}"
    assert queries.RankingFilters.from_args({"sort": "cat"}).sort == "mean"


def test_deleting_a_category_recomputes_totals_from_the_others(world: World) -> None:
    overall, content, demo = _three_categories(world)
    _review(world, world.subs[1], scores={overall: 2, content: 3, demo: 0})
    services.delete_category(event=world.event, category_id=demo)
    (row,) = queries.ranking(world.event, queries.RankingFilters(q="beta"))
    # (1*2 + 3*1.5) / 4 = 1.625
    assert (row.scores, row.category_means) == ([1.62], {overall: 2.0, content: 3.0})


def test_ranking_query_count_is_bounded_with_categories(app: Flask, world: World) -> None:
    overall, content, demo = _three_categories(world)
    _review(world, world.subs[0], scores={overall: 3, content: 5, demo: 1})

    def measure() -> int:
        db.session.expire_all()
        with count_queries() as log:
            queries.ranking(world.event)
        return log.count

    small = measure()
    for submission in bulk_submissions(world.event, 20):
        _review(world, submission, scores={overall: 1, content: 2})
    assert measure() == small


# --- pages ---------------------------------------------------------------------------------------


def test_review_form_has_one_group_per_category_saying_what_labels_mean(
    app: Flask, world: World
) -> None:
    overall, content, demo = _three_categories(world)
    db.session.get(ScoreCategory, content).help_text = "Is the content sound?"  # type: ignore[union-attr]
    db.session.commit()
    client = login(app.test_client(), world.reviewer)
    url = f"/review/{world.event.slug}/{world.subs[2].id}"  # track B: no Demo
    page = client.get(url).get_data(as_text=True)
    assert "Content (weight 3)" in page
    assert "Is the content sound?" in page
    assert (
        "1 is the lowest score, 5 the highest; the words after a number say what it means." in page
    )
    assert "5 · Excellent" in page
    assert f'name="score_{demo}"' not in page
    response = client.post(url, data={f"score_{overall}": "2", f"score_{content}": "4"})
    assert response.status_code == 302
    review = db.session.scalars(select(Review)).one()
    assert _stored(review) == {overall: 2, content: 4}
    refused = client.post(url, data={f"score_{overall}": "2", "comment": "kept"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "give a score for Content" in body
    assert "kept" in body  # nothing typed is lost


def test_single_category_form_keeps_the_score_field(app: Flask, world: World) -> None:
    client = login(app.test_client(), world.reviewer)
    page = client.get(f"/review/{world.event.slug}/{world.subs[0].id}").get_data(as_text=True)
    assert 'name="score"' in page
    assert "0 is the lowest score, 3 the highest." in page


def test_reviewer_exports_give_the_total_and_the_category_scores(app: Flask, world: World) -> None:
    overall, content, demo = _three_categories(world)
    _review(world, world.subs[1], scores={overall: 2, content: 3, demo: 0})
    client = login(app.test_client(), world.reviewer)
    body = json.loads(client.get(f"/review/{world.event.slug}/submissions.json").data)
    beta = next(s for s in body["submissions"] if s["title"] == "Beta talk")
    assert (beta["my_score"], beta["my_scores"]) == (
        1.3,
        {str(overall): 2, str(content): 3, str(demo): 0},
    )
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/review/{world.event.slug}/submissions.csv").get_data(as_text=True)
            )
        )
    )
    assert {r["title"]: r["my_score"] for r in rows}["Beta talk"] == "1.3"


def test_ranking_page_and_csv_show_category_means_when_there_are_several(
    app: Flask, world: World
) -> None:
    overall, content, demo = _three_categories(world)
    _review(world, world.subs[1], scores={overall: 2, content: 3, demo: 0})
    client = login(app.test_client(), world.organizer)
    page = client.get(f"/orga/{world.event.slug}/ranking").get_data(as_text=True)
    assert "Mean Content" in page
    assert f"sort=cat{content}" in page
    text = client.get(f"/orga/{world.event.slug}/ranking.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header[12:15] == ["mean: Overall", "mean: Content", "mean: Demo"]
    beta = next(r for r in rows if r[1] == "Beta talk")
    assert (beta[7], beta[12:15]) == ("1.3", ["2.0", "3.0", "0.0"])


def test_organizer_adds_edits_and_deletes_a_category(app: Flask, world: World) -> None:
    client = login(app.test_client(), world.organizer)
    base = f"/orga/{world.event.slug}/review/categories"
    form = {
        "name": "Relevance",
        "score_min": "1",
        "score_max": "4",
        "labels": "4 = Spot on",
        "weight": "2",
        "track_ids": [str(world.track_b.id)],
    }
    assert client.post(base, data=form).status_code == 302
    relevance = db.session.scalars(
        select(ScoreCategory).where(ScoreCategory.name == "Relevance")
    ).one()
    assert (relevance.labels, relevance.weight, [t.name for t in relevance.tracks]) == (
        {"4": "Spot on"},
        2,
        ["Track B"],
    )
    page = client.get(f"/orga/{world.event.slug}/review/").get_data(as_text=True)
    assert "Track B" in page and "Relevance" in page and "Overall" in page
    edit = client.get(f"{base}/{relevance.id}").get_data(as_text=True)
    assert "4 = Spot on" in edit
    bad = client.post(f"{base}/{relevance.id}", data=form | {"labels": "nine"})
    assert bad.status_code == 400
    assert "line 1: write it as" in bad.get_data(as_text=True)
    assert client.post(f"{base}/{relevance.id}", data=form | {"weight": "5"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ScoreCategory, relevance.id).weight == 5  # type: ignore[union-attr]
    assert client.post(f"{base}/{relevance.id}/delete").status_code == 302
    assert [c.name for c in queries.categories_of(world.event)] == ["Overall"]


FIXED_ID = 987651  # a category the matrix deletes is recreated with this id before each request


def _recreate_category(world: World) -> None:
    if db.session.get(ScoreCategory, FIXED_ID) is None:
        db.session.add(
            ScoreCategory(
                id=FIXED_ID, event_id=world.event.id, name="Gone", score_min=0, score_max=3
            )
        )
        db.session.commit()


def test_category_pages_permission_matrix(app: Flask, world: World) -> None:
    other_organizer = UserFactory(name="Other Orga")
    MembershipFactory(event=EventFactory(), user=other_organizer, role="organizer")
    _add(world, "Content")
    content = queries.categories_of(world.event)[1].id
    slug = world.event.slug
    users = {
        "anonymous": None,
        "speaker": world.speaker,
        "reviewer": world.reviewer,
        "other_organizer": other_organizer,
        "organizer": world.organizer,
    }
    orga = {"organizer"}
    form = {"name": "X", "score_min": "0", "score_max": "3", "weight": "1"}
    check_matrix(
        app,
        users,
        [
            Route("POST", f"/orga/{slug}/review/categories", data=form, allowed=orga),
            Route("GET", f"/orga/{slug}/review/categories/{content}", allowed=orga),
            Route("POST", f"/orga/{slug}/review/categories/{content}", data=form, allowed=orga),
            Route(
                "POST",
                f"/orga/{slug}/review/categories/{FIXED_ID}/delete",
                allowed=orga,
                setup=lambda: _recreate_category(world),
            ),
        ],
    )
