"""Stars, feed tokens and widget origins: the services' rules."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from podium.agenda import queries, services
from podium.agenda.models import AgendaFeed
from podium.extensions import db
from tests.schedule.builders import make_event
from tests.support.factories import UserFactory


def test_star_is_stored_once_and_unstar_removes_it(app: Flask) -> None:
    user, event = UserFactory(), make_event(slug="a")

    first = services.star_session(user=user, event=event, guid="g1")
    again = services.star_session(user=user, event=event, guid="g1")

    assert (first, again) == (True, False)
    assert queries.starred_guids(user.id, event.id) == {"g1"}
    assert services.unstar_session(user=user, event=event, guid="g1") is True
    assert services.unstar_session(user=user, event=event, guid="g1") is False
    assert queries.starred_guids(user.id, event.id) == frozenset()


def test_stars_belong_to_one_user_and_one_event(app: Flask) -> None:
    ada, bob = UserFactory(), UserFactory()
    one, two = make_event(slug="one"), make_event(slug="two")
    services.star_session(user=ada, event=one, guid="g1")
    services.star_session(user=bob, event=two, guid="g2")

    assert queries.starred_guids(ada.id, one.id) == {"g1"}
    assert queries.starred_guids(ada.id, two.id) == frozenset()
    assert queries.starred_guids(bob.id, two.id) == {"g2"}


def test_star_refuses_a_blank_or_overlong_guid(app: Flask) -> None:
    user, event = UserFactory(), make_event(slug="a")
    for guid in ("", "x" * 201):
        with pytest.raises(services.AgendaError) as raised:
            services.star_session(user=user, event=event, guid=guid)
        assert (raised.value.field, str(raised.value)) == (
            "star",
            "No such session in the published schedule.",
        )


def test_merge_adds_browser_stars_to_stored_ones_without_duplicates(app: Flask) -> None:
    user, event = UserFactory(), make_event(slug="a")
    services.star_session(user=user, event=event, guid="stored")

    merged = services.merge_stars(
        user=user, event=event, guids=["stored", "browser", "browser", "", "x" * 201]
    )

    assert merged == {"stored", "browser"}
    assert queries.starred_guids(user.id, event.id) == {"stored", "browser"}


def test_merge_stops_at_the_limit(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "MAX_STARS_PER_EVENT", 3)
    user, event = UserFactory(), make_event(slug="a")
    services.star_session(user=user, event=event, guid="g0")

    merged = services.merge_stars(user=user, event=event, guids=["g1", "g2", "g3", "g4"])

    assert merged == {"g0", "g1", "g2"}
    with pytest.raises(services.AgendaError, match="at most 3 sessions"):
        services.star_session(user=user, event=event, guid="g9")


def test_feed_token_is_random_stored_hashed_and_regenerating_revokes_the_old(app: Flask) -> None:
    user, event = UserFactory(), make_event(slug="a")

    old = services.regenerate_feed(user=user, event=event)
    new = services.regenerate_feed(user=user, event=event)

    assert old != new and len(new) >= 43  # 32 random bytes, URL-safe base64
    assert str(user.id) not in (old, new)
    stored = db.session.scalars(select(AgendaFeed.token_hash)).all()
    assert stored == [services.hash_token(new)]
    assert queries.feed_by_token(old) is None
    found = queries.feed_by_token(new)
    assert found is not None and (found.user_id, found.event_id) == (user.id, event.id)


def test_revoke_feed_makes_the_token_useless(app: Flask) -> None:
    user, event = UserFactory(), make_event(slug="a")
    token = services.regenerate_feed(user=user, event=event)

    assert services.revoke_feed(user=user, event=event) is True
    assert services.revoke_feed(user=user, event=event) is False
    assert queries.feed_by_token(token) is None
    assert queries.has_feed(user.id, event.id) is False


def test_parse_origins_normalises_and_removes_duplicates(app: Flask) -> None:
    text = "https://WWW.Example.org/\n\n  http://localhost:8080 \nhttps://www.example.org\n"

    assert services.parse_origins(text) == ["https://www.example.org", "http://localhost:8080"]


@pytest.mark.parametrize(
    "line",
    [
        "*",
        "https://*.example.org",
        "www.example.org",
        "ftp://example.org",
        "https://example.org/path",
        "https://example.org/?q=1",
        "https://user@example.org",
        "https://exa mple.org",
        "https://example.org:99999",
        "javascript:alert(1)",
        "https://example.org; script-src *",
    ],
)
def test_parse_origins_refuses_anything_but_an_origin(app: Flask, line: str) -> None:
    with pytest.raises(services.AgendaError) as raised:
        services.parse_origins(f"https://ok.example.org\n{line}")
    assert raised.value.field == "origins"
    assert str(raised.value) == (
        f"{line!r} is not a web origin; write it like https://www.example.org "
        "(scheme, host and optional port, nothing else)."
    )


def test_set_widget_origins_replaces_the_list(app: Flask) -> None:
    event = make_event(slug="a")
    services.set_widget_origins(event=event, text="https://a.example.org\nhttps://b.example.org")
    assert queries.widget_origins(event.id) == ("https://a.example.org", "https://b.example.org")

    services.set_widget_origins(event=event, text="")

    assert queries.widget_origins(event.id) == ()


def test_too_many_origins_are_refused(app: Flask) -> None:
    text = "\n".join(f"https://s{i}.example.org" for i in range(services.MAX_ORIGINS + 1))
    with pytest.raises(services.AgendaError, match="At most 20 origins"):
        services.parse_origins(text)
