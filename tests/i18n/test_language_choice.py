"""Which language a request is served in: the user's saved preference, the switch's cookie,
Accept-Language, the event's default language, English — in that order."""

from __future__ import annotations

import datetime as dt

import lxml.html
from flask import Flask
from flask_babel import force_locale

from podium.extensions import db
from podium.i18n.dates import format_instant, format_wall
from podium.i18n.locales import LANGUAGE_COOKIE
from tests.support.auth import login
from tests.support.factories import EventFactory, UserFactory


def _lang(response) -> str:  # type: ignore[no-untyped-def]
    return lxml.html.fromstring(response.data).get("lang")


def test_accept_language_picks_the_best_translated_language(app: Flask) -> None:
    client = app.test_client()

    assert _lang(client.get("/", headers={"Accept-Language": "de-AT,de;q=0.9"})) == "de"
    assert _lang(client.get("/", headers={"Accept-Language": "ja,fr;q=0.8,de;q=0.5"})) == "fr"
    assert _lang(client.get("/", headers={"Accept-Language": "ja"})) == "en"
    assert _lang(client.get("/")) == "en"


def test_the_switch_cookie_beats_accept_language(app: Flask) -> None:
    client = app.test_client()
    client.set_cookie(LANGUAGE_COOKIE, "es")

    assert _lang(client.get("/", headers={"Accept-Language": "de"})) == "es"


def test_a_saved_preference_beats_the_cookie_and_the_browser(app: Flask) -> None:
    user = UserFactory(language="fr")
    db.session.commit()
    client = login(app.test_client(), user)
    client.set_cookie(LANGUAGE_COOKIE, "es")

    assert _lang(client.get("/account/", headers={"Accept-Language": "de"})) == "fr"


def test_the_event_default_applies_when_the_browser_asks_for_nothing_we_have(
    app: Flask,
) -> None:
    EventFactory(slug="kongress", default_language="de", is_public=True)
    db.session.commit()
    client = app.test_client()

    assert _lang(client.get("/kongress/cfp", headers={"Accept-Language": "ja"})) == "de"
    assert _lang(client.get("/kongress/cfp")) == "de"
    assert _lang(client.get("/kongress/cfp", headers={"Accept-Language": "fr"})) == "fr"
    assert _lang(client.get("/", headers={"Accept-Language": "ja"})) == "en"


def test_dates_are_written_per_language_in_the_chosen_zone(app: Flask) -> None:
    # 2025-02-01 09:30 UTC is 10:30 in Brussels, a Saturday.
    instant = dt.datetime(2025, 2, 1, 9, 30, tzinfo=dt.UTC)
    with app.test_request_context():
        written = {}
        for language in ("en", "de", "fr", "es"):
            with force_locale(language):
                written[language] = (
                    format_instant(instant, "Europe/Brussels", "day_time"),
                    format_wall(instant.date(), "day"),
                )

    assert written["en"] == ("Saturday 01 February 2025, 10:30", "Saturday 01 February 2025")
    assert written["de"] == ("Samstag, 1. Februar 2025, 10:30", "Samstag, 1. Februar 2025")
    assert written["fr"][1] == "samedi 1 février 2025"
    assert written["es"][1] == "sábado, 1 de febrero de 2025"
    assert all("10:30" in first for first, _ in written.values())
