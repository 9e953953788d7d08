"""Crawl every organizer (and reviewer) page of an event: no dead end, menu and way back.

Starting at the dashboard, every same-event team link of each page is followed (GET, breadth
first); every page must answer 200, and every HTML page must show the event's organizer menu
with its current entry marked and a breadcrumb whose first link goes back to the dashboard.
POST-only endpoints are never links, so the crawl reaches them only through forms it ignores.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from urllib.parse import urldefrag, urlsplit

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from podium.accounts.models import User
from podium.availability import queries as availability_queries
from podium.cfp.models import Submission
from podium.events.models import Event
from podium.extensions import db
from podium.review.models import ScoreCategory
from tests.events.navigation_world import seeded_fixture  # noqa: F401  the `seeded` fixture
from tests.support.auth import login

MAX_PAGES = 400  # the world below has about 60 pages; more means a link loop


@dataclass
class Crawl:
    """What a crawl saw: every URL fetched (path and query) and the failures, one line each."""

    fetched: list[str]
    failures: list[str]

    def paths(self) -> set[str]:
        return {urlsplit(url).path for url in self.fetched}


def _team_links(html: str, prefixes: tuple[str, ...]) -> list[str]:
    page = lxml.html.fromstring(html)
    links = []
    for href in page.xpath("//a/@href"):
        url, _fragment = urldefrag(href)
        if url.startswith(prefixes):
            links.append(url)
    return links


def _page_problems(html: str, dashboard: str, url: str) -> list[str]:
    """Why ``html`` lacks the organizer menu or the way back to ``dashboard`` (empty: fine)."""
    page = lxml.html.fromstring(html)
    problems = []
    menus = page.xpath('//nav[@class="orga-menu"]')
    if len(menus) != 1:
        problems.append(f"{len(menus)} organizer menus")
    elif not menus[0].xpath(".//a[@aria-current]"):
        problems.append("no menu entry marked current")
    crumbs = page.xpath('//nav[@class="breadcrumb"]//li')
    if not crumbs or crumbs[-1].get("aria-current") != "page" or not crumbs[-1].text_content():
        problems.append("no breadcrumb ending in the current page")
    elif url != dashboard and page.xpath('//nav[@class="breadcrumb"]//li[1]/a/@href') != [
        dashboard
    ]:
        problems.append("breadcrumb does not lead back to the dashboard")
    return problems


def crawl(client: FlaskClient, start: str, prefixes: tuple[str, ...]) -> Crawl:
    """Breadth-first GET of every link under ``prefixes`` reachable from ``start``."""
    queue, seen = deque([start]), {start}
    fetched: list[str] = []
    failures: list[str] = []
    while queue:
        url = queue.popleft()
        if len(fetched) >= MAX_PAGES:
            failures.append(f"more than {MAX_PAGES} pages: stopped at {url}")
            break
        response = client.get(url)
        fetched.append(url)
        if response.status_code != 200:
            failures.append(f"{url}: status {response.status_code}")
            continue
        if response.mimetype != "text/html":
            continue  # exports (CSV): no layout, nothing to follow
        html = response.get_data(as_text=True)
        failures.extend(f"{url}: {problem}" for problem in _page_problems(html, start, url))
        for link in _team_links(html, prefixes):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return Crawl(fetched=fetched, failures=failures)


def _organizer_paths(seeded: dict[str, object]) -> set[str]:
    event: Event = seeded["event"]  # type: ignore[assignment]
    base = f"/orga/{event.slug}"
    every = db.session.scalars(select(Submission.id).where(Submission.event_id == event.id))
    return {
        f"{base}/",
        f"{base}/submissions",
        f"{base}/submissions.csv",
        *(f"{base}/submissions/{i}" for i in every),
        f"{base}/questions/",
        f"{base}/questions/new",
        f"{base}/review/",
        f"{base}/review/assignment",
        # scoring: one edit page per stored score category
        *(
            f"{base}/review/categories/{i}"
            for i in db.session.scalars(
                select(ScoreCategory.id).where(ScoreCategory.event_id == event.id)
            )
        ),
        f"{base}/ranking",
        f"{base}/ranking.csv",
        f"{base}/decisions",
        f"{base}/mail/",
        f"{base}/mail/compose",
        f"{base}/mail/templates",
        f"{base}/mail/schedule-changes",
        f"{base}/schedule/",
        f"{base}/schedule/grid",
        f"{base}/schedule/slots/{seeded['placed'].id}",  # type: ignore[attr-defined]
        f"{base}/schedule/releases",
        f"{base}/availability",
        *(f"{base}/availability/speakers/{i}" for i, _ in availability_queries.speakers_of(event)),
        f"{base}/schedule/import/",
        f"{base}/team",
        f"{base}/settings",
        f"{base}/tracks",
        f"{base}/rooms",
        f"{base}/session-types",
        f"{base}/widget",
        f"{base}/api-tokens/",
        f"{base}/webhooks/",
    }


@pytest.mark.parametrize("who", ["organizer", "admin"])
def test_every_organizer_page_has_the_menu_and_a_way_back(
    app: Flask, seeded: dict[str, object], who: str
) -> None:
    slug = seeded["event"].slug  # type: ignore[attr-defined]
    client = login(app.test_client(), seeded[who])  # type: ignore[arg-type]

    result = crawl(client, f"/orga/{slug}/", (f"/orga/{slug}/",))

    assert result.failures == []
    assert result.paths() == _organizer_paths(seeded)


def test_every_reviewer_page_has_the_menu_and_a_way_back(
    app: Flask, seeded: dict[str, object]
) -> None:
    slug = seeded["event"].slug  # type: ignore[attr-defined]
    reviewer: User = seeded["reviewer"]  # type: ignore[assignment]
    client = login(app.test_client(), reviewer)

    # Following /orga/ links too: a reviewer must not be shown any (they would answer 403).
    result = crawl(client, f"/review/{slug}/", (f"/review/{slug}/", f"/orga/{slug}/"))

    assert result.failures == []
    event: Event = seeded["event"]  # type: ignore[assignment]
    every = db.session.scalars(select(Submission.id).where(Submission.event_id == event.id))
    assert result.paths() == {
        f"/review/{slug}/",
        f"/review/{slug}/submissions.csv",
        f"/review/{slug}/submissions.json",
        f"/review/{slug}/bids",
        *(f"/review/{slug}/{i}" for i in every),
    }
