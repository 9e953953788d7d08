"""E-mail in the recipient's language, organizers' mail texts per language, and the mail and
webhook pages in German, French and Spanish."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.accounts import services as account_services
from podium.accounts.models import User
from podium.extensions import db
from podium.mail import emails
from podium.mail.models import OutboxMail
from podium.mail.sending import build_message
from podium.mail.services import queue_mail
from podium.review import services as review_services
from podium.review.enums import DecisionKind
from podium.review.models import DecisionMailTemplate
from tests.mail.helpers import all_mails
from tests.review import conftest as review_conftest
from tests.review.conftest import SPEAKER_EMAIL, World
from tests.support.auth import login
from tests.support.factories import UserFactory

world = review_conftest.world  # the review tests' event, team, speakers and submissions

RESET = {
    "en": ("Reset your password", "Hello Kim,", "someone (hopefully you) asked"),
    "de": ("Passwort zurücksetzen", "Hallo Kim,", "jemand (hoffentlich Sie)"),
    "fr": (
        "Réinitialiser votre mot de passe",
        "Bonjour Kim,",
        "quelqu\u2019un (vous, espérons-le)",
    ),
    "es": ("Restablecer su contraseña", "Hola, Kim:", "alguien (esperamos que usted)"),
}

ACCEPTED = {
    "en": "RevConf 2031: your submission was accepted",
    "de": "RevConf 2031: Ihre Einreichung wurde angenommen",
    "fr": "RevConf 2031 : votre proposition a été acceptée",
    "es": "RevConf 2031: su propuesta ha sido aceptada",
}
ACCEPTED_BODY = {
    "en": "we are happy to tell you that",
    "de": "wir freuen uns, Ihnen mitzuteilen",
    "fr": "nous avons le plaisir de vous annoncer",
    "es": "nos complace comunicarle",
}


def _mails_to(address: str) -> list[OutboxMail]:
    return [m for m in all_mails() if m.recipients == [address]]


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
def test_password_reset_mail_is_written_in_the_users_language(app: Flask, language: str) -> None:
    user = UserFactory(name="Kim", email=f"kim-{language}@example.org", language=language)
    account_services.request_password_reset(email=user.email)
    db.session.commit()
    (mail,) = _mails_to(user.email)
    subject, greeting, sentence = RESET[language]
    assert mail.subject == subject
    assert mail.body_text.startswith(greeting)
    assert sentence in mail.body_text and sentence in mail.body_html
    assert f'<html lang="{language}">' in mail.body_html
    assert mail.language == language
    message = build_message(mail, "Podium <podium@example.org>")
    assert message["Content-Language"] == language
    if language != "en":
        assert "Reset your password" not in mail.body_text + mail.body_html + mail.subject


def test_mail_without_a_preference_uses_the_events_default_then_english(
    app: Flask, world: World
) -> None:
    world.event.default_language = "es"
    db.session.commit()
    # An address without an account (an invited co-speaker): the event's default language.
    queue_mail(
        to=["stranger@example.org"],
        template="password_changed",
        context={"name": "Sol", "reset_url": "http://localhost/r"},
        event_id=world.event.id,
    )
    # No event, no preference: English.
    nobody = UserFactory(email="nobody@example.org", language=None)
    account_services.request_password_reset(email=nobody.email)
    db.session.commit()
    (stranger,) = _mails_to("stranger@example.org")
    assert stranger.subject == "Su contraseña ha cambiado"
    assert stranger.language == "es"
    (english,) = _mails_to("nobody@example.org")
    assert english.subject == "Reset your password"
    assert english.language == "en"


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
def test_decision_mail_uses_the_built_in_text_in_the_speakers_language(
    app: Flask, world: World, language: str
) -> None:
    world.speaker.language = language
    db.session.commit()
    review_services.set_decisions(
        event=world.event,
        actor=world.organizer,
        submission_ids=[world.subs[1].id],  # the speaker's own, no co-speaker
        decision=DecisionKind.ACCEPT,
    )
    review_services.release_decisions(event=world.event, actor=world.organizer)
    (mail,) = _mails_to(SPEAKER_EMAIL)
    assert mail.subject == ACCEPTED[language]
    assert ACCEPTED_BODY[language] in mail.body_text
    assert "Beta talk" in mail.body_text
    assert mail.language == language


def _accept_both_speakers(world: World) -> tuple[OutboxMail, OutboxMail]:
    review_services.set_decisions(
        event=world.event,
        actor=world.organizer,
        submission_ids=[world.subs[0].id],  # speaker and co-speaker
        decision=DecisionKind.ACCEPT,
    )
    review_services.release_decisions(event=world.event, actor=world.organizer)
    (german,) = _mails_to(SPEAKER_EMAIL)
    (french,) = _mails_to(world.co_speaker.email)
    return german, french


def test_organizer_text_in_german_goes_to_german_speakers_french_get_the_built_in_one(
    app: Flask, world: World
) -> None:
    world.event.content_languages = ["de", "fr"]
    world.speaker.language = "de"
    world.co_speaker.language = "fr"
    db.session.commit()
    emails.save_event_text(
        event_id=world.event.id,
        kind="accept",
        subject="{event_name}: angenommen!",
        body="Hallo {speaker_name}, „{submission_title}“ ist dabei: {confirmation_link}",
        language="de",
    )
    german, french = _accept_both_speakers(world)
    assert german.subject == "RevConf 2031: angenommen!"
    assert german.body_text.startswith("Hallo ")
    assert german.language == "de"
    assert french.subject == ACCEPTED["fr"]
    assert ACCEPTED_BODY["fr"] in french.body_text
    assert french.language == "fr"


def test_without_a_text_in_their_language_speakers_get_the_default_languages_text(
    app: Flask, world: World
) -> None:
    world.speaker.language = "de"
    world.co_speaker.language = "fr"
    db.session.commit()
    emails.save_event_text(  # the event's default language (English)
        event_id=world.event.id,
        kind="accept",
        subject="{event_name} says yes",
        body="Dear {speaker_name}: {confirmation_link}",
    )
    german, french = _accept_both_speakers(world)
    assert german.subject == french.subject == "RevConf 2031 says yes"
    assert german.language == french.language == "en"


def test_mail_text_editor_keeps_one_text_per_language(app: Flask, world: World) -> None:
    world.event.content_languages = ["de"]
    db.session.commit()
    client = login(app.test_client(), world.organizer)
    slug = world.event.slug
    page = client.get(f"/orga/{slug}/mail/templates?language=de").get_data(as_text=True)
    # The built-in German text to start from, and the language picker.
    assert "Ihre Einreichung wurde angenommen" in page
    assert '<option value="de" selected>Deutsch</option>' in page
    response = client.post(
        f"/orga/{slug}/mail/templates/accept",
        data={
            "language": "de",
            "accept-subject": "{event_name}: ja",
            "accept-body": "Hallo {speaker_name}",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("?language=de#text-accept")
    rows = db.session.scalars(select(DecisionMailTemplate)).all()
    assert [(r.kind, r.language, r.subject) for r in rows] == [("accept", "de", "{event_name}: ja")]
    assert emails.event_text(world.event.id, "accept", "de") == (
        "{event_name}: ja",
        "Hallo {speaker_name}",
    )
    # The default language's page still shows Podium's English text.
    english = client.get(f"/orga/{slug}/mail/templates").get_data(as_text=True)
    assert "{event_name}: your submission was accepted" in english
    # A language the event does not offer falls back to its default language.
    client.post(f"/orga/{slug}/mail/templates/accept/reset", data={"language": "de"})
    assert db.session.scalars(select(DecisionMailTemplate)).all() == []


PAGES = {
    # path -> {language: texts that must appear}, English texts that must not
    "/orga/revconf/mail/": (
        {
            "de": ["An Vortragende schreiben", "Mailtexte", "Nach Zustand filtern"],
            "fr": ["Écrire aux intervenant·es", "Textes des mails", "Filtrer par état"],
            "es": ["Escribir a ponentes", "Textos de correo", "Filtrar por estado"],
        },
        ["Write to speakers", "Schedule change notices", "Filter by state"],
    ),
    "/orga/revconf/mail/templates": (
        {
            "de": ["Mailtexte: RevConf 2031", "Eingangsbestätigung", "der Name der Veranstaltung"],
            "fr": [
                "Textes des mails : RevConf 2031",
                "Accusé de réception",
                "le nom de l\u2019événement",
            ],
            "es": ["Textos de correo: RevConf 2031", "Acuse de recibo", "el nombre del evento"],
        },
        ["Mail texts: ", "Submission receipt", "the event's name"],
    ),
    "/orga/revconf/mail/compose": (
        {
            "de": ["Vorschau", "Zurückhalten", "Vortragende angenommener Einreichungen"],
            "fr": [
                "Aperçu",
                "Retenir dans la boîte d\u2019envoi",
                "Intervenant·es des propositions acceptées",
            ],
            "es": [
                "Vista previa",
                "Retener en la bandeja de salida",
                "Ponentes de propuestas aceptadas",
            ],
        },
        ["Hold in outbox", "Speakers of accepted proposals", "Any track"],
    ),
    "/orga/revconf/mail/schedule-changes": (
        {
            "de": ["Hinweise auf Programmänderungen: RevConf 2031", "Es wurde noch kein Programm"],
            "fr": ["Avis de changement de programme : RevConf 2031", "Aucun programme"],
            "es": ["Avisos de cambio de programa: RevConf 2031", "Aún no se ha publicado"],
        },
        ["No schedule has been released yet."],
    ),
    "/orga/revconf/webhooks/": (
        {
            "de": [
                "Neuer Endpunkt",
                "Endpunkt hinzufügen",
                "Eine Programmversion wird veröffentlicht",
            ],
            "fr": [
                "Nouveau point d\u2019accès",
                "Ajouter le point d\u2019accès",
                "Une version du programme est publiée",
            ],
            "es": ["Nuevo endpoint", "Añadir endpoint", "Se publica una versión del programa"],
        },
        ["New endpoint", "Add endpoint", "A schedule release is published"],
    ),
}


@pytest.mark.parametrize("language", ["de", "fr", "es"])
@pytest.mark.parametrize("path", list(PAGES))
def test_mail_and_webhook_pages_are_translated(
    app: Flask, world: World, path: str, language: str
) -> None:
    queue_mail(
        to=[SPEAKER_EMAIL],
        template="password_changed",
        context={"name": "x", "reset_url": "http://localhost/r"},
        event_id=world.event.id,
        hold=True,
    )
    client = login(app.test_client(), world.organizer)
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    wanted, english = PAGES[path]
    for text in wanted[language]:
        assert text in page, text
    for text in english:
        assert text not in page, text


@pytest.mark.parametrize(
    ("language", "held", "button"),
    [
        ("de", "zurückgehalten", "Die 1 zurückgehaltene Mail senden"),
        ("fr", "retenu", "Envoyer le 1 mail retenu"),
        ("es", "retenido", "Enviar el 1 correo retenido"),
    ],
)
def test_outbox_states_and_counts_are_translated(
    app: Flask, world: World, language: str, held: str, button: str
) -> None:
    mail = queue_mail(
        to=[SPEAKER_EMAIL],
        template="password_changed",
        context={"name": "x", "reset_url": "http://localhost/r"},
        event_id=world.event.id,
        hold=True,
    )
    client = login(app.test_client(), world.organizer)
    page = client.get("/orga/revconf/mail/", headers={"Accept-Language": language}).get_data(
        as_text=True
    )
    assert f'<span class="badge mail-held">{held}</span>' in page
    assert button in page
    assert "Send all 1 held mail(s)" not in page
    detail = client.get(
        f"/orga/revconf/mail/{mail.id}", headers={"Accept-Language": language}
    ).get_data(as_text=True)
    assert {"de": "Verwerfen", "fr": "Supprimer", "es": "Descartar"}[language] in detail


def test_signing_up_in_german_saves_german_and_confirms_in_german(
    app: Flask, client: FlaskClient
) -> None:
    response = client.post(
        "/account/signup",
        data={
            "email": "ute@example.org",
            "name": "Ute",
            "password": "correct horse battery 9",
            "password_repeat": "correct horse battery 9",
        },
        headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"},
    )

    assert response.status_code in (200, 302, 303)
    user = db.session.scalar(select(User).where(User.email == "ute@example.org"))
    assert user.language == "de"
    (mail,) = _mails_to("ute@example.org")
    assert mail.language == "de"
    assert "Hallo Ute" in mail.body_text
