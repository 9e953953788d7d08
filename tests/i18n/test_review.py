"""The review pages in German, French and Spanish: reviewers' list, score form and bids,
organizers' review settings, automatic assignment, ranking and decisions, and a few flashes
and errors; English stays as it was."""

# ruff: noqa: RUF001  (French typographic apostrophes)
from __future__ import annotations

from html import unescape

import pytest
from flask import Flask

from podium.accounts.models import User
from tests.review import conftest as review_conftest
from tests.review.conftest import World
from tests.support.auth import login

# The review tests' event, organizer, reviewers and submissions (a fixture of tests/review).
world = review_conftest.world

# Per language: (path template, translated texts that must appear, English that must not).
PAGES: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "de": {
        "list": (
            ["Bewertung: RevConf 2031", "Gebote für Einreichungen abgeben", "Meine Punktzahl"],
            ["Bid on proposals", "My score", "assigned submission(s)"],
        ),
        "show": (
            ["Ihre Bewertung", "Bewertung speichern", "Interessenkonflikt", "Kurzfassung"],
            ["Save review", "Conflict of interest", "Your review", "Comment"],
        ),
        "bids": (
            ["Gebote: RevConf 2031", "Lieber nicht", "Gebote speichern", "Kein Gebot"],
            ["Would rather not", "Save bids", "No bid", "Title contains"],
        ),
        "orga": (
            [
                "Bewertungskategorien",
                "Einstellungen speichern",
                "Niedrigste Punktzahl",
                "Bewertungsphase hinzufügen",
                "<tr><td>Gesamt</td>",
                "Alle Einreichungen",
            ],
            ["Save settings", "Add a review phase", "Lowest score", "Score categories"],
        ),
        "assignment": (
            [
                "Automatische Zuweisung: RevConf 2031",
                "Bisherige Gebote",
                "Vorschau",
                "Gutachter(innen) je Einreichung",
            ],
            ["Bids so far", "Reviewers per proposal", "Preview"],
        ),
        "ranking": (
            [
                "Rangliste: RevConf 2031",
                "Mittelwert",
                "Std.-Abw.",
                "eingereicht",
                "4 Einreichungen",
            ],
            ["Std dev", "Not reviewed by", "submission(s)", ">submitted<"],
        ),
        "decisions": (
            [
                "Entscheidungen: RevConf 2031",
                "Auf Markierte anwenden",
                "Annehmen",
                "Zusage-Mail speichern",
                "0 ausstehende Entscheidungen",
            ],
            ["Apply to ticked", "Save accept mail", "pending decision(s)", "Decision mails"],
        ),
    },
    "fr": {
        "list": (
            ["Évaluation : RevConf 2031", "Ma note"],
            ["Bid on proposals", "My score"],
        ),
        "show": (
            ["Votre évaluation", "Enregistrer l’évaluation", "Conflit d’intérêts"],
            ["Save review", "Conflict of interest"],
        ),
        "bids": (
            ["Préférences : RevConf 2031", "Plutôt pas", "Enregistrer les préférences"],
            ["Would rather not", "Save bids"],
        ),
        "orga": (
            ["Catégories de notes", "Enregistrer les paramètres", "Note la plus basse"],
            ["Save settings", "Lowest score"],
        ),
        "assignment": (
            ["Attribution automatique : RevConf 2031", "Aperçu"],
            ["Bids so far", "Preview"],
        ),
        "ranking": (
            ["Classement : RevConf 2031", "Moyenne", "Écart type", "soumise"],
            ["Std dev", "Not reviewed by"],
        ),
        "decisions": (
            ["Décisions : RevConf 2031", "Appliquer à la sélection", "Accepter"],
            ["Apply to ticked", "Save accept mail"],
        ),
    },
    "es": {
        "list": (
            ["Revisión: RevConf 2031", "Mi puntuación"],
            ["Bid on proposals", "My score"],
        ),
        "show": (
            ["Su revisión", "Guardar revisión", "Conflicto de intereses"],
            ["Save review", "Conflict of interest"],
        ),
        "bids": (
            ["Preferencias: RevConf 2031", "Prefiero no", "Guardar preferencias"],
            ["Would rather not", "Save bids"],
        ),
        "orga": (
            ["Categorías de puntuación", "Guardar configuración", "Puntuación más baja"],
            ["Save settings", "Lowest score"],
        ),
        "assignment": (
            ["Asignación automática: RevConf 2031", "Vista previa"],
            ["Bids so far", "Preview"],
        ),
        "ranking": (
            ["Clasificación: RevConf 2031", "Media", "Desv. est.", "enviada"],
            ["Std dev", "Not reviewed by"],
        ),
        "decisions": (
            ["Decisiones: RevConf 2031", "Aplicar a las marcadas", "Rechazar"],
            ["Apply to ticked", "Save accept mail"],
        ),
    },
}


def _paths(world: World) -> dict[str, tuple[str, User]]:
    slug = world.event.slug
    return {
        "list": (f"/review/{slug}/", world.reviewer),
        "show": (f"/review/{slug}/{world.subs[0].id}", world.reviewer),
        "bids": (f"/review/{slug}/bids", world.reviewer),
        "orga": (f"/orga/{slug}/review/", world.organizer),
        "assignment": (f"/orga/{slug}/review/assignment?per_proposal=1", world.organizer),
        "ranking": (f"/orga/{slug}/ranking", world.organizer),
        "decisions": (f"/orga/{slug}/decisions", world.organizer),
    }


def _page(app: Flask, user: User, path: str, language: str) -> str:
    client = login(app.test_client(), user)
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200, path
    return unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("language", ["de", "fr", "es"])
@pytest.mark.parametrize("page", list(PAGES["de"]))
def test_review_pages_are_translated(app: Flask, world: World, language: str, page: str) -> None:
    path, user = _paths(world)[page]
    html = _page(app, user, path, language)
    present, absent = PAGES[language][page]
    assert f'lang="{language}"' in html
    for text in present:
        assert text in html, (language, page, text)
    for text in absent:
        assert text not in html, (language, page, text)


def test_review_pages_stay_english_without_a_language(app: Flask, world: World) -> None:
    paths = _paths(world)
    html = _page(app, world.reviewer, paths["list"][0], "en")
    assert "Bid on proposals" in html and "My score" in html
    html = _page(app, world.organizer, paths["ranking"][0], "en")
    assert "4 submission(s)" in html and "Std dev" in html and ">submitted<" in html
    html = _page(app, world.organizer, paths["decisions"][0], "en")
    assert "0 pending decision(s)" in html and "Save accept mail" in html


@pytest.mark.parametrize(
    ("language", "saved", "error"),
    [
        ("de", "Bewertung gespeichert.", "vergeben Sie eine Punktzahl für"),
        ("fr", "Évaluation enregistrée.", "donnez une note pour"),
        ("es", "Revisión guardada.", "dé una puntuación para"),
    ],
)
def test_review_flash_and_score_error_are_translated(
    app: Flask, world: World, language: str, saved: str, error: str
) -> None:
    client = login(app.test_client(), world.reviewer)
    path = f"/review/{world.event.slug}/{world.subs[0].id}"
    headers = {"Accept-Language": language}
    refused = client.post(path, data={"comment": "no score"}, headers=headers)
    assert refused.status_code == 400
    refused_page = unescape(refused.get_data(as_text=True))
    assert error in refused_page
    assert "give a score for" not in refused_page
    done = client.post(
        path, data={"score": "2", "comment": "ok"}, headers=headers, follow_redirects=True
    )
    page = unescape(done.get_data(as_text=True))
    assert saved in page
    assert "Review saved." not in page


@pytest.mark.parametrize(
    ("language", "flash"),
    [
        ("de", "Gebote gespeichert (1 geändert)."),
        ("fr", "Préférences enregistrées (1 modifiée)."),
        ("es", "Preferencias guardadas (1 cambiada)."),
    ],
)
def test_bids_flash_is_translated_with_plural(
    app: Flask, world: World, language: str, flash: str
) -> None:
    client = login(app.test_client(), world.reviewer)
    response = client.post(
        f"/review/{world.event.slug}/bids",
        data={f"bid-{world.subs[1].id}": "want"},
        headers={"Accept-Language": language},
        follow_redirects=True,
    )
    page = unescape(response.get_data(as_text=True))
    assert flash in page
    assert "Bids saved" not in page
