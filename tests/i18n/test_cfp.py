"""The CfP in German, French and Spanish: the call, the proposal form, one's submissions, the
organizers' list, custom questions and availability; and the proposal's language, chosen
among the event's content languages."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest
from sqlalchemy import select

from podium.cfp.models import Submission
from tests.cfp.test_speaker_views import _form  # the proposal form the CfP tests post
from tests.questions.helpers import make_question
from tests.support.auth import login
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    SessionTypeFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)

# Per language: texts a page must show, and English sources it must not.
SUBMIT_PAGE = {
    "de": (["Beitrag bei", "Als Entwurf speichern", "Co-Vortragende(n) einladen", "Titel"],),
    "fr": (["Soumettre une proposition à", "Enregistrer comme brouillon", "Titre"],),
    "es": (["Enviar una propuesta a", "Guardar como borrador", "Título"],),
}
ENGLISH_SUBMIT = ["Save as draft", "Invite a co-speaker", "Notes for the organizers"]


def _get(client, url: str, language: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _options(page: str, name: str) -> list[tuple[str, str, bool]]:
    """``(value, text, selected)`` of the select ``name`` in ``page``'s main form (not the
    language switch of the footer)."""
    tree = lxml.html.fromstring(page)
    return [
        (o.get("value"), o.text_content().strip(), o.get("selected") is not None)
        for o in tree.xpath(
            f"//main//form[contains(@class, 'stacked')]//select[@name='{name}']/option"
        )
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["Call for Papers: ", "Beitragsarten", "Beitrag einreichen", "Minuten)"]),
        ("fr", ["Appel à propositions : ", "Types de session", "Soumettre une proposition"]),
        ("es", ["Convocatoria: ", "Tipos de sesión", "Enviar una propuesta"]),
    ],
)
def test_cfp_page_translated(app, client, language, expected) -> None:
    event = EventFactory()
    SessionTypeFactory(event=event, name="Talk", default_duration_minutes=25)

    page = _get(client, f"/{event.slug}/cfp", language)

    for text in expected:
        assert text in page
    for english in ("Session types", "Submit a proposal", "Call for proposals: "):
        assert english not in page


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_submit_page_translated(app, client, language) -> None:
    event = EventFactory()
    login(client, UserFactory())

    page = _get(client, f"/{event.slug}/submit", language)

    for text in SUBMIT_PAGE[language][0]:
        assert text in page
    for english in ENGLISH_SUBMIT:
        assert english not in page


def test_submit_errors_translated(app, client, db_session) -> None:
    event = EventFactory()
    login(client, UserFactory())

    response = client.post(
        f"/{event.slug}/submit",
        data=_form(co_speaker_email="a@example.org"),
        headers={"Accept-Language": "de"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Geben Sie den Namen der/des Co-Vortragenden ein." in page
    assert "Enter the co-speaker" not in page
    assert db_session.scalar(select(Submission)) is None


@pytest.mark.parametrize(
    ("language", "state", "heading", "button"),
    [
        ("de", "eingereicht", "Meine Einreichungen bei", "Mein Vortragendenprofil bearbeiten"),
        ("fr", "soumise", "Mes propositions pour", "Modifier mon profil"),
        ("es", "enviada", "Mis propuestas a", "Editar mi perfil de ponente"),
    ],
)
def test_my_submissions_and_edit_translated(app, client, language, state, heading, button) -> None:
    event = EventFactory()
    user = UserFactory()
    submission = SubmissionFactory(event=event, speaker=SpeakerProfileFactory(user=user))
    login(client, user)

    listing = _get(client, f"/{event.slug}/me/", language)
    edit = _get(client, f"/{event.slug}/me/submissions/{submission.id}/edit", language)

    assert f'class="badge state-submitted">{state}<' in listing
    assert heading in listing and button in listing
    assert "My submissions to" not in listing and ">submitted<" not in listing
    assert f">{state}<" in edit
    assert "Back to my submissions" not in edit


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["Einreichungen (1)", "Als CSV herunterladen", "Filtern", ">eingereicht<"]),
        ("fr", ["Propositions (1)", "Télécharger en CSV", "Filtrer", ">soumise<"]),
        ("es", ["Propuestas (1)", "Descargar como CSV", "Filtrar", ">enviada<"]),
    ],
)
def test_organizer_pages_translated(app, client, language, expected) -> None:
    event = EventFactory()
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer)
    submission = SubmissionFactory(event=event, speaker=SpeakerProfileFactory())
    make_question(event, "T-shirt size")
    login(client, organizer)

    listing = _get(client, f"/orga/{event.slug}/submissions", language)
    one = _get(client, f"/orga/{event.slug}/submissions/{submission.id}", language)
    questions = _get(client, f"/orga/{event.slug}/questions/", language)
    availability = _get(client, f"/orga/{event.slug}/availability", language)

    for text in expected:
        assert text in listing
    assert "Download as CSV" not in listing
    assert "No reviews yet." not in one and "History" not in one
    assert "T-shirt size" in questions and "Add a question" not in questions
    assert "Save setting" not in availability and "No speakers yet." not in availability


def test_availability_days_and_page_in_german(app, client) -> None:
    saturday = dt.date(2030, 2, 2)
    event = EventFactory(
        availability_required=True, start_date=saturday, end_date=saturday + dt.timedelta(1)
    )
    login(client, UserFactory())

    page = _get(client, f"/{event.slug}/submit", "de")

    assert "Wann können Sie vortragen?" in page
    assert "Weiteren Zeitraum hinzufügen" in page
    days = [text for _value, text, _selected in _options(page, "availability-ranges-0-day")]
    assert days == ["Sa., 2. Feb.", "So., 3. Feb."]
    assert "Add another range" not in page


# -- the proposal's language: the event's content languages -------------------------------------


def test_language_choices_are_the_events_content_languages_default_first(app, client) -> None:
    event = EventFactory(default_language="de", content_languages=["en", "de", "fr"])
    login(client, UserFactory())

    english = _options(_get(client, f"/{event.slug}/submit", "en"), "language")
    german = _options(_get(client, f"/{event.slug}/submit", "de"), "language")

    assert english == [("de", "German", True), ("en", "English", False), ("fr", "French", False)]
    assert german == [
        ("de", "Deutsch", True),
        ("en", "Englisch", False),
        ("fr", "Französisch", False),
    ]


def test_event_without_content_languages_offers_its_default(app, client) -> None:
    event = EventFactory(default_language="es", content_languages=[])
    login(client, UserFactory())

    options = _options(_get(client, f"/{event.slug}/submit", "es"), "language")

    assert options == [("es", "Español", True)]


def test_language_not_offered_is_refused_with_field_named_and_text_kept(
    app, client, db_session
) -> None:
    event = EventFactory(default_language="en", content_languages=["en", "de"])
    login(client, UserFactory())

    english = client.post(f"/{event.slug}/submit", data=_form(language="nl"))
    german = client.post(
        f"/{event.slug}/submit", data=_form(language="nl"), headers={"Accept-Language": "de"}
    )

    page = english.get_data(as_text=True)
    assert english.status_code == 400
    assert "Language: choose one of the languages this event offers." in page
    for typed in ("Typed title", "Typed abstract", "Typed description", "Typed private notes"):
        assert typed in page
    assert german.status_code == 400
    assert "Sprache: Wählen Sie eine der Sprachen" in german.get_data(as_text=True)
    assert db_session.scalar(select(Submission)) is None


def test_offered_language_is_saved(app, client, db_session) -> None:
    event = EventFactory(default_language="en", content_languages=["en", "de"])
    login(client, UserFactory())

    response = client.post(f"/{event.slug}/submit", data=_form(language="de"))

    assert response.status_code == 302
    assert db_session.scalar(select(Submission.language)) == "de"


def test_saved_language_no_longer_offered_is_kept_when_editing(app, client, db_session) -> None:
    event = EventFactory(default_language="en", content_languages=["en", "de"])
    user = UserFactory()
    submission = SubmissionFactory(
        event=event, speaker=SpeakerProfileFactory(user=user), language="nl"
    )
    login(client, user)
    url = f"/{event.slug}/me/submissions/{submission.id}/edit"

    options = _options(_get(client, url, "en"), "language")
    saved = client.post(url, data=_form(language="nl", action="save", title="Edited"))
    refused = client.post(url, data=_form(language="fr", action="save"))

    assert options == [("en", "English", False), ("de", "German", False), ("nl", "Dutch", True)]
    assert saved.status_code == 302
    db_session.expire_all()
    assert db_session.scalar(select(Submission.language)) == "nl"
    assert db_session.scalar(select(Submission.title)) == "Edited"
    assert refused.status_code == 400
    assert "Language: choose one of the languages this event offers." in refused.get_data(
        as_text=True
    )


def test_service_refuses_a_language_the_event_does_not_offer(app, db_session) -> None:
    from podium.cfp import services

    event = EventFactory(default_language="en", content_languages=["en", "fr"])

    with pytest.raises(services.SubmissionError) as caught:
        services.create_submission(
            event=event,
            submitter=UserFactory(),
            content=services.SubmissionContent(
                title="T", abstract="A", duration_minutes=30, language="de"
            ),
        )

    assert caught.value.field == "language"
    assert "Language" in caught.value.message
