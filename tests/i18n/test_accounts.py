"""Accounts, the layout's site pages and the agenda in German, French and Spanish; the
language preference on the account page; the language switch (POST /language)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.accounts.models import User
from podium.agenda import services as agenda_services
from podium.extensions import db
from podium.i18n.locales import LANGUAGE_COOKIE
from tests.agenda.builders import publish_program
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory

LANGUAGES = ("de", "fr", "es")

# Per language: page path -> translated texts that must appear on it.
ANONYMOUS_PAGES = {
    "de": {
        "/account/login": ["<h1>Anmelden</h1>", "Passwort vergessen?", "E-Mail-Adresse"],
        "/account/signup": ["Konto anlegen", "Passwort wiederholen", "Mindestens 10 Zeichen."],
        "/account/reset": ["Passwort zurücksetzen", "Link senden"],
        "/": ["<h1>Konferenzen</h1>", "Noch keine öffentliche Konferenz."],
    },
    "fr": {
        "/account/login": ["<h1>Se connecter</h1>", "Mot de passe oublié ?", "Adresse e-mail"],
        "/account/signup": ["Créer le compte", "Confirmer le mot de passe", "Au moins 10"],
        "/account/reset": ["Réinitialiser votre mot de passe", "Envoyer le lien"],
        "/": ["<h1>Conférences</h1>", "Aucune conférence publique pour l\u2019instant."],
    },
    "es": {
        "/account/login": ["<h1>Iniciar sesión</h1>", "¿Olvidó su contraseña?", "Dirección de"],
        "/account/signup": ["Crear cuenta", "Repita la contraseña", "Al menos 10 caracteres."],
        "/account/reset": ["Restablecer su contraseña", "Enviar el enlace"],
        "/": ["<h1>Conferencias</h1>", "Todavía no hay ninguna conferencia pública."],
    },
}
ACCOUNT_PAGES = {
    "de": {
        "/account/": ["Hallo, Ada", "Ihre Veranstaltungen", "Ihre Einreichungen", "Profil"],
        "/account/profile": ["<h1>Ihr Profil</h1>", "Speichern", "Browser / Standard der"],
        "/account/password": ["Passwort ändern", "Aktuelles Passwort", "Neues Passwort"],
    },
    "fr": {
        "/account/": ["Bonjour, Ada", "Vos événements", "Vos propositions", "Profil"],
        "/account/profile": ["<h1>Votre profil</h1>", "Enregistrer", "Navigateur / langue"],
        "/account/password": ["Changer votre mot de passe", "Mot de passe actuel"],
    },
    "es": {
        "/account/": ["Hola, Ada", "Sus eventos", "Sus propuestas", "Perfil"],
        "/account/profile": ["<h1>Su perfil</h1>", "Guardar", "Navegador / idioma del evento"],
        "/account/password": ["Cambiar su contraseña", "Contraseña actual"],
    },
}
# English sources that must be gone from the translated pages.
ENGLISH = {
    "/account/login": ["Forgot your password?", "Create an account", "E-mail address"],
    "/account/signup": ["Password again", "At least 10 characters."],
    "/account/reset": ["Enter the address of your account", "Send the link"],
    "/": ["Conferences", "No public conference yet."],
    "/account/": ["Your events", "Your submissions", "You have no submissions yet."],
    "/account/profile": ["Your profile", "Browser / event default", ">Save<"],
    "/account/password": ["Change your password", "Current password"],
}


def _get(client: FlaskClient, path: str, language: str) -> str:
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _assert_page(html: str, path: str, language: str, expected: list[str]) -> None:
    assert f'<html lang="{language}"' in html
    for text in expected:
        assert text in html, (language, path, text)
    for text in ENGLISH[path]:
        assert text not in html, (language, path, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_anonymous_account_pages_and_front_page_are_translated(
    client: FlaskClient, language: str
) -> None:
    for path, expected in ANONYMOUS_PAGES[language].items():
        _assert_page(_get(client, path, language), path, language, expected)


@pytest.mark.parametrize("language", LANGUAGES)
def test_account_pages_are_translated(client: FlaskClient, language: str) -> None:
    login(client, UserFactory(name="Ada"))
    for path, expected in ACCOUNT_PAGES[language].items():
        _assert_page(_get(client, path, language), path, language, expected)


DASHBOARD_TERMS = {
    "de": ("Organisator(in)", "Gutachter(in)"),
    "fr": ("organisateur·rice", "évaluateur·rice"),
    "es": ("organizador(a)", "revisor(a)"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_dashboard_shows_team_roles_translated(client: FlaskClient, language: str) -> None:
    user = UserFactory(name="Ada")
    MembershipFactory(user=user, role="organizer")
    MembershipFactory(user=user, role="reviewer")
    login(client, user)

    html = _get(client, "/account/", language)

    for term in DASHBOARD_TERMS[language]:
        assert f'<span class="badge">{term}</span>' in html
    assert '<span class="badge">organizer</span>' not in html


FLASH_AND_ERRORS = {
    "de": ("E-Mail-Adresse oder Passwort ist falsch.", "Die Passwörter stimmen nicht überein."),
    "fr": (
        "L\u2019adresse e-mail ou le mot de passe est incorrect.",
        "Les mots de passe ne correspondent pas.",
    ),
    "es": (
        "La dirección de correo electrónico o la contraseña no son correctas.",
        "Las contraseñas no coinciden.",
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_refused_login_and_signup_say_why_in_the_language(
    client: FlaskClient, language: str
) -> None:
    headers = {"Accept-Language": language}
    refused = client.post(
        "/account/login", data={"email": "nobody@example.org", "password": "x"}, headers=headers
    )
    assert refused.status_code == 400
    assert FLASH_AND_ERRORS[language][0] in refused.get_data(as_text=True)
    differ = client.post(
        "/account/signup",
        data={"name": "A", "email": "a@example.org", "password": "p" * 12, "password_repeat": "q"},
        headers=headers,
    )
    assert differ.status_code == 400
    html = differ.get_data(as_text=True)
    assert FLASH_AND_ERRORS[language][1] in html
    assert "The passwords differ." not in html


LINK_ERRORS = {
    "de": ("Dieser Link kann nicht verwendet werden", "Dieser Link ist ungültig"),
    "fr": ("Ce lien ne peut pas être utilisé", "Ce lien n\u2019est pas valide"),
    "es": ("Este enlace no se puede usar", "Este enlace no es válido"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_broken_link_is_explained_in_the_language(client: FlaskClient, language: str) -> None:
    response = client.get("/account/reset/not-a-token", headers={"Accept-Language": language})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for text in LINK_ERRORS[language]:
        assert text in html
    assert "This link is not valid" not in html


ERROR_PAGES = {
    "de": ("Seite nicht gefunden", "Fehler 404", "Zurück zur Startseite"),
    "fr": ("Page introuvable", "Erreur 404", "Retour à la page d\u2019accueil"),
    "es": ("Página no encontrada", "Error 404", "Volver a la página principal"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_pages_are_translated_but_api_errors_stay_english(
    client: FlaskClient, language: str
) -> None:
    headers = {"Accept-Language": language}
    page = client.get("/no/such/page/at/all", headers=headers)
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    for text in ERROR_PAGES[language]:
        assert text in html
    assert "Page not found" not in html

    api = client.get("/api/no-such-endpoint", headers=headers)
    assert api.status_code == 404
    assert api.get_json()["error"]["title"] == "Page not found"


AGENDA = {
    "de": {
        "agenda": ["<h1>Meine Agenda</h1>", "Kalender-Feed", "Feed-Adresse erstellen"],
        "canceled": "Er war am Samstag, 2. Februar 2030, 09:30 in Room B geplant",
        "widget": ["Samstag, 2. Februar 2030", "(Zeiten in Europe/Brussels)"],
        "settings": ["<h1>Programm-Widget</h1>", "Code zum Einbetten", "Websites, die das"],
    },
    "fr": {
        "agenda": ["<h1>Mon agenda</h1>", "Flux de calendrier", "Créer une adresse de flux"],
        "canceled": "Elle était prévue le samedi 2 février 2030",
        "widget": ["samedi 2 février 2030", "(heures en Europe/Brussels)"],
        "settings": ["<h1>Widget du programme</h1>", "Code d\u2019intégration", "Sites autorisés"],
    },
    "es": {
        "agenda": ["<h1>Mi agenda</h1>", "Feed de calendario", "Crear una dirección de feed"],
        "canceled": "Estaba prevista para el sábado, 2 de febrero de 2030",
        "widget": ["sábado, 2 de febrero de 2030", "(horas en Europe/Brussels)"],
        "settings": ["<h1>Widget del programa</h1>", "Código para insertar", "Sitios que pueden"],
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_agenda_widget_and_widget_settings_are_translated(
    client: FlaskClient, language: str
) -> None:
    from tests.agenda.builders import cancel, release

    program = publish_program()
    user = UserFactory()
    agenda_services.star_session(user=user, event=program.event, guid=program.rust)
    agenda_services.star_session(user=user, event=program.event, guid=program.keynote)
    cancel(program.slots["Rust in space"])
    release(program)
    expected = AGENDA[language]

    login(client, user)
    agenda = _get(client, "/demo/agenda/", language)
    for text in expected["agenda"]:
        assert text in agenda
    assert expected["canceled"] in re.sub(r"\s+", " ", agenda)
    assert "Calendar feed" not in agenda and "It was planned for" not in agenda

    widget = _get(client, "/demo/widget", language)
    for text in expected["widget"]:
        assert text in widget
    assert "Saturday" not in widget and "(times in" not in widget

    organizer = UserFactory()
    MembershipFactory(event=program.event, user=organizer)
    login(client, organizer)
    settings = _get(client, "/orga/demo/widget", language)
    for text in expected["settings"]:
        assert text in settings
    assert "Embedding code" not in settings


# --------------------------------------------------------------------------- preference


def _user(email: str) -> User:
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def _save_profile(client: FlaskClient, user: User, language: str, **kwargs):  # type: ignore[no-untyped-def]
    data = {"name": user.name, "email": user.email, "language": language}
    return client.post("/account/profile", data=data, **kwargs)


def test_profile_offers_every_language_and_the_default(client: FlaskClient) -> None:
    login(client, UserFactory(language="fr"))

    html = client.get("/account/profile").get_data(as_text=True)

    match = re.search(r'<select[^>]* id="language"[^>]*>(.*?)</select>', html, re.S)
    assert match is not None
    select_html = match.group(1)
    values = re.findall(r'<option(?: selected)? value="([^"]*)"', select_html)
    assert values == ["", "en", "de", "fr", "es"]
    assert re.search(r'<option selected value="fr">Français</option>', select_html)


def test_saved_preference_beats_accept_language_and_the_cookie(
    app: Flask, client: FlaskClient
) -> None:
    user = UserFactory(email="ada@example.org", name="Ada")
    login(client, user)
    client.set_cookie(LANGUAGE_COOKIE, "fr")

    saved = _save_profile(client, user, "de", headers={"Accept-Language": "es"})

    assert saved.status_code == 302
    assert _user("ada@example.org").language == "de"
    page = client.get(saved.headers["Location"], headers={"Accept-Language": "es"})
    html = page.get_data(as_text=True)
    assert '<html lang="de"' in html
    assert "Ihr Profil ist gespeichert." in html  # the flash is in the new language already
    assert '<option selected value="de">Deutsch</option>' in html
    assert '<html lang="de"' in client.get("/").get_data(as_text=True)


def test_choosing_the_default_clears_the_preference(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(email="ada@example.org", name="Ada", language="de")
    login(client, user)

    saved = _save_profile(client, user, "", headers={"Accept-Language": "es"})

    assert saved.status_code == 302
    assert _user("ada@example.org").language is None
    html = client.get("/account/profile", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es"' in html
    assert "Su perfil se ha guardado." in html
    assert '<option selected value="">Navegador / idioma del evento</option>' in html
    # Without a preference, the switch's cookie counts again, before Accept-Language.
    client.set_cookie(LANGUAGE_COOKIE, "fr")
    assert '<html lang="fr"' in client.get("/account/").get_data(as_text=True)


def test_profile_refuses_an_unknown_language(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(email="ada@example.org", name="Ada", language="de")
    login(client, user)

    refused = _save_profile(client, user, "xx")

    assert refused.status_code == 400
    assert _user("ada@example.org").language == "de"


def test_profile_without_the_language_field_keeps_the_preference(
    app: Flask, client: FlaskClient
) -> None:
    user = UserFactory(email="ada@example.org", name="Ada", language="es")
    login(client, user)

    saved = client.post("/account/profile", data={"name": "Ada L.", "email": user.email})

    assert saved.status_code == 302
    stored = _user("ada@example.org")
    assert (stored.name, stored.language) == ("Ada L.", "es")


# --------------------------------------------------------------------------- the switch


def test_switch_gives_an_anonymous_visitor_a_cookie_and_the_next_page(
    client: FlaskClient,
) -> None:
    response = client.post("/language", data={"language": "fr", "next": "/account/login"})

    assert response.status_code == 303
    assert response.headers["Location"] == "/account/login"
    cookie = client.get_cookie(LANGUAGE_COOKIE)
    assert cookie is not None and cookie.value == "fr"
    html = client.get("/account/login", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert "Mot de passe oublié ?" in html


def _csrf_token(client: FlaskClient) -> str:
    html = client.get("/account/").get_data(as_text=True)
    form = html[html.index('class="language-switch"') :]
    match = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert match is not None
    return match.group(1)


def test_switch_for_a_logged_in_user_needs_the_csrf_token(app: Flask, client: FlaskClient) -> None:
    user = UserFactory(email="ada@example.org")
    login(client, user)

    refused = client.post("/language", data={"language": "de", "next": "/account/"})
    assert refused.status_code == 400
    assert _user("ada@example.org").language is None

    token = _csrf_token(client)
    saved = client.post(
        "/language", data={"language": "de", "next": "/account/", "csrf_token": token}
    )
    assert saved.status_code == 303
    assert saved.headers["Location"] == "/account/"
    assert _user("ada@example.org").language == "de"
    client.delete_cookie(LANGUAGE_COOKIE)  # the account's preference alone decides now
    html = client.get("/account/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="de"' in html


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example", ""],
)
def test_switch_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    response = client.post("/language", data={"language": "es", "next": target})

    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("language", ["xx", "", "klingon"])
def test_switch_refuses_an_unknown_language(client: FlaskClient, language: str) -> None:
    response = client.post("/language", data={"language": language, "next": "/"})

    assert response.status_code == 400
    assert client.get_cookie(LANGUAGE_COOKIE) is None


LOGIN_NEEDED = {
    "de": "Bitte melden Sie sich an, um diese Seite zu öffnen.",
    "fr": "Veuillez vous connecter pour accéder à cette page.",
    "es": "Inicie sesión para acceder a esta página.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_log_in_request_of_a_private_page_is_translated(
    client: FlaskClient, language: str
) -> None:
    headers = {"Accept-Language": language}
    response = client.get("/account/profile", headers=headers)
    assert response.status_code == 302

    html = client.get(response.headers["Location"], headers=headers).get_data(as_text=True)

    assert LOGIN_NEEDED[language] in html
    assert "Please log in to access this page." not in html


WHICH_TIME = {
    "de": ("Welches Vorkommen von 02:30 am 2025-10-26?", "das erste (UTC+2)", "das zweite (UTC+1)"),
    "fr": (
        "Quelle occurrence de 02:30 le 2025-10-26 ?",
        "la première (UTC+2)",
        "la seconde (UTC+1)",
    ),
    "es": ("¿Cuál de las 02:30 del 2025-10-26?", "la primera (UTC+2)", "la segunda (UTC+1)"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_which_time_field_asks_in_the_language(app: Flask, language: str) -> None:
    import datetime as dt

    from flask_wtf import FlaskForm

    from podium.forms import WhichTimeField

    class Form(FlaskForm):
        which = WhichTimeField()

    with app.test_request_context("/", headers={"Accept-Language": language}):
        form = Form(meta={"csrf": False})
        form.which.offer(dt.datetime(2025, 10, 26, 2, 30), "Europe/Berlin")  # noqa: DTZ001  wall time
        label, first, second = WHICH_TIME[language]
        assert form.which.label.text == label
        assert [str(choice.label) for choice in form.which.choices] == [first, second]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "There is no page at this address."),
        ("de", "Unter dieser Adresse gibt es keine Seite."),
        ("fr", "Il n\u2019y a aucune page à cette adresse."),
        ("es", "No hay ninguna página en esta dirección."),
    ],
)
def test_a_bare_not_found_explains_itself_in_the_language(
    app: Flask, language: str, expected: str
) -> None:
    response = app.test_client().get("/no-such-page/at/all", headers={"Accept-Language": language})

    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert expected in page
    assert "If you entered the URL manually" not in page
