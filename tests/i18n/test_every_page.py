"""Every public, speaker, reviewer and organizer page, in every translated language.

Each HTML page of the seeded event is crawled with ``Accept-Language`` set to the language:
it must say so in ``<html lang>``, and no text of the page may be a catalogue message left in
English (a message the catalogue translates, found verbatim as a text node, a button value or
an ``aria-label``/``title``/``placeholder``/``alt``), which is what a string that was never
passed through ``gettext``, or a stale ``.mo``, looks like to a reader.
"""

from __future__ import annotations

import re
from functools import cache

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.cfp.models import Submission
from podium.extensions import db
from podium.i18n import catalogues
from tests.events.navigation_world import seeded_fixture  # noqa: F401  the `seeded` fixture
from tests.events.test_navigation_crawl import crawl
from tests.support.auth import login
from tests.support.factories import UserFactory

LANGUAGES = ("de", "fr", "es")
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
# Messages that are the same word in the source and some reader's text by nature (proper
# names, abbreviations), or that the seeded world also uses as content.
# "Overall" is the name the score migration gave every event's first category: stored content.
NOT_EVIDENCE = {
    "Podium",
    "CfP",
    "ID",
    "URL",
    "API",
    "CSV",
    "JSON",
    "iCalendar",
    "E-mail",
    "Overall",
}
_SPACE = re.compile(r"\s+")


@cache
def translated_messages(language: str) -> frozenset[str]:
    """Source messages (no placeholders, no markup) that ``language`` translates differently."""
    found = set()
    for message in catalogues.read_catalogue(language):
        if not message.id or message.pluralizable or message.fuzzy or not message.string:
            continue
        text = _SPACE.sub(" ", message.id).strip()
        if "%(" in text or "<" in text or text in NOT_EVIDENCE or text == message.string:
            continue
        found.add(text)
    return frozenset(found)


def page_texts(html: str) -> set[str]:
    """The page's visible text nodes and labelling attributes, whitespace collapsed."""
    page = lxml.html.fromstring(html)
    # Not the page's own words: scripts, and texts in the language of what they will become
    # (a mail text being edited is in the language it will be sent in, marked with `lang`).
    for hidden in page.xpath("//script|//style|//template|//textarea|//body//*[@lang]"):
        hidden.drop_tree()
    texts = {_SPACE.sub(" ", t).strip() for t in page.xpath("//text()")}
    for attribute in ATTRIBUTES:
        texts.update(_SPACE.sub(" ", v).strip() for v in page.xpath(f"//@{attribute}"))
    texts.update(
        _SPACE.sub(" ", v).strip()
        for v in page.xpath("//input[@type='submit' or @type='button']/@value")
    )
    return {t for t in texts if t}


def untranslated(client: FlaskClient, urls: list[str], language: str) -> list[str]:
    """One line per page that is not in ``language``: wrong ``lang`` or English messages."""
    problems = []
    messages = translated_messages(language)
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        root = lxml.html.fromstring(html)
        if root.get("lang") != language:
            problems.append(f"{url}: <html lang={root.get('lang')!r}>")
        english = sorted(page_texts(html) & messages)
        if english:
            problems.append(f"{url}: English {english[:8]}")
    return problems


def _client(app: Flask, language: str, user=None) -> FlaskClient:  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = f"{language},en;q=0.5"
    return login(client, user) if user is not None else client


@pytest.mark.backend("sqlite")
@pytest.mark.parametrize("language", LANGUAGES)
def test_organizer_and_reviewer_pages_are_translated(
    app: Flask, seeded: dict[str, object], language: str
) -> None:
    slug = seeded["event"].slug  # type: ignore[attr-defined]
    organizer = _client(app, language, seeded["organizer"])
    pages = crawl(organizer, f"/orga/{slug}/", (f"/orga/{slug}/",))
    reviewer = _client(app, language, seeded["reviewer"])
    reviewer_pages = crawl(reviewer, f"/review/{slug}/", (f"/review/{slug}/",))

    assert len(pages.fetched) > 40
    problems = untranslated(organizer, pages.fetched, language)
    problems += untranslated(reviewer, reviewer_pages.fetched, language)
    assert problems == []


@pytest.mark.backend("sqlite")
@pytest.mark.parametrize("language", LANGUAGES)
def test_public_and_speaker_pages_are_translated(
    app: Flask, seeded: dict[str, object], language: str
) -> None:
    event = seeded["event"]
    slug = event.slug  # type: ignore[attr-defined]
    visitor = _client(app, language)
    public = crawl(visitor, f"/{slug}/", (f"/{slug}/",))
    submission = db.session.get(Submission, seeded["placed"].submission_id)  # type: ignore[attr-defined]
    profile = submission.speakers[0].speaker
    user = UserFactory(name=profile.name)
    profile.user_id = user.id
    db.session.commit()
    speaker = _client(app, language, user)
    speaker_pages = [
        f"/{slug}/cfp",
        f"/{slug}/submit",
        f"/{slug}/me/",
        f"/{slug}/me/answers",
        f"/{slug}/me/availability",
        f"/{slug}/me/submissions/{submission.id}/edit",
        f"/{slug}/agenda/",
        "/account/",
        "/account/profile",
        "/account/password",
        "/speaker/profile",
    ]
    account_pages = ["/", "/account/login", "/account/signup", "/account/reset"]

    assert len(public.fetched) > 5
    problems = untranslated(visitor, public.fetched + account_pages, language)
    problems += untranslated(speaker, speaker_pages, language)
    assert problems == []


def test_a_page_says_which_language_it_is_in(app: Flask) -> None:
    client = app.test_client()

    german = lxml.html.fromstring(client.get("/", headers={"Accept-Language": "de"}).data)
    english = lxml.html.fromstring(client.get("/").data)

    assert (german.get("lang"), german.get("dir")) == ("de", "ltr")
    assert english.get("lang") == "en"
    assert german.xpath("//a[@class='skip-link']/text()") == ["Zum Inhalt springen"]
