"""The organizer menu and breadcrumb base.html draws (podium.events.navigation), page by page."""

from __future__ import annotations

import lxml.html
from flask import Flask, render_template_string

from podium.events.navigation import MENU, Audience
from tests.events.navigation_world import seeded_fixture  # noqa: F401  the `seeded` fixture
from tests.support.auth import login
from tests.support.factories import MembershipFactory, UserFactory
from tests.support.queries import count_queries

ORGANIZER_LABELS = [
    "Dashboard",
    "Submissions",
    "Questions",
    "Review",
    "Assignment",
    "Ranking",
    "Decisions",
    "Mail",
    "Schedule",
    "Visual editor",
    "Releases",
    "Availability",
    "Import",
    "Team",
    "Settings",
    "Tracks",
    "Rooms",
    "Session types",
    "Widget",
    "API tokens",
    "Webhooks",
]


def _get(app: Flask, user, url: str) -> tuple[int, lxml.html.HtmlElement]:  # type: ignore[no-untyped-def]
    response = login(app.test_client(), user).get(url)
    return response.status_code, lxml.html.fromstring(response.get_data(as_text=True))


def _menu(page: lxml.html.HtmlElement) -> list[tuple[str, str | None]]:
    """The organizer menu's entries as (label, aria-current)."""
    return [
        (a.text_content(), a.get("aria-current"))
        for a in page.xpath('//nav[@class="orga-menu"]//li/a')
    ]


def _crumbs(page: lxml.html.HtmlElement) -> list[tuple[str, str | None]]:
    """The breadcrumb as (label, link), the current page last with no link."""
    return [
        (li.text_content().strip(), (li.xpath("./a/@href") or [None])[0])
        for li in page.xpath('//nav[@class="breadcrumb"]//li')
    ]


def test_menu_registry_lists_each_endpoint_once() -> None:
    endpoints = [entry.endpoint for entry in MENU]
    assert len(endpoints) == len(set(endpoints))
    assert [e.label for e in MENU if e.audience is Audience.ORGANIZER] == ORGANIZER_LABELS


def test_dashboard_shows_the_whole_menu_with_dashboard_current(app: Flask, seeded) -> None:  # type: ignore[no-untyped-def]
    status, page = _get(app, seeded["organizer"], "/orga/navconf/")

    assert status == 200
    assert _menu(page) == [("Dashboard", "page")] + [
        (label, None) for label in ORGANIZER_LABELS[1:]
    ]
    assert _crumbs(page) == [("Dashboard", None)]
    assert page.xpath('//a[@class="orga-menu-public"]/@href') == ["/navconf/"]
    assert page.xpath('//p[@class="orga-menu-event"]/span/text()') == ["NavConf 2030"]


def test_submission_page_breadcrumb_names_section_and_page(app: Flask, seeded) -> None:  # type: ignore[no-untyped-def]
    url = f"/orga/navconf/submissions/{seeded['submitted'].id}"

    _, page = _get(app, seeded["organizer"], url)

    assert _crumbs(page) == [
        ("Dashboard", "/orga/navconf/"),
        ("Submissions", "/orga/navconf/submissions"),
        ("Submitted talk", None),
    ]
    assert [item for item in _menu(page) if item[1]] == [("Submissions", "true")]


def test_move_slot_page_sits_under_schedule(app: Flask, seeded) -> None:  # type: ignore[no-untyped-def]
    _, page = _get(app, seeded["organizer"], f"/orga/navconf/schedule/slots/{seeded['placed'].id}")

    assert _crumbs(page) == [
        ("Dashboard", "/orga/navconf/"),
        ("Schedule", "/orga/navconf/schedule/"),
        ("Move slot", None),
    ]


def test_held_mails_are_in_the_mail_section_not_decisions(app: Flask, seeded) -> None:  # type: ignore[no-untyped-def]
    # Held decision mails live in the event's outbox; the old address leads there.
    response = login(app.test_client(), seeded["organizer"]).get("/orga/navconf/decisions/mails")
    assert (response.status_code, response.headers["Location"]) == (
        302,
        "/orga/navconf/mail/?state=held",
    )
    _, page = _get(app, seeded["organizer"], "/orga/navconf/mail/?state=held")

    assert [item for item in _menu(page) if item[1]] == [("Mail", "page")]
    assert _crumbs(page)[0] == ("Dashboard", "/orga/navconf/")


def test_reviewer_sees_only_the_review_list(app: Flask, seeded) -> None:  # type: ignore[no-untyped-def]
    url = f"/review/navconf/{seeded['submitted'].id}"

    _, listing = _get(app, seeded["reviewer"], "/review/navconf/")
    _, review = _get(app, seeded["reviewer"], url)

    assert _menu(listing) == [("My reviews", "page")]
    assert listing.xpath('//a[@class="orga-menu-public"]') == []
    assert _crumbs(review) == [("My reviews", "/review/navconf/"), ("Submitted talk", None)]


def test_organizer_who_also_reviews_gets_both_menus(app: Flask, seeded) -> None:  # type: ignore[no-untyped-def]
    MembershipFactory(event=seeded["event"], user=seeded["organizer"], role="reviewer")

    _, page = _get(app, seeded["organizer"], "/review/navconf/")

    assert [label for label, _ in _menu(page)] == [*ORGANIZER_LABELS, "My reviews"]
    assert _crumbs(page) == [("Dashboard", "/orga/navconf/"), ("My reviews", None)]


def test_refused_pages_show_no_menu(app: Flask, seeded) -> None:  # type: ignore[no-untyped-def]
    outsider = UserFactory()

    reviewer_status, reviewer_page = _get(app, seeded["reviewer"], "/orga/navconf/ranking")
    outsider_status, outsider_page = _get(app, outsider, "/orga/navconf/")

    assert (reviewer_status, outsider_status) == (403, 403)
    assert reviewer_page.xpath('//nav[@class="orga-menu"]') == []
    assert outsider_page.xpath('//nav[@class="orga-menu"]') == []


def test_a_page_added_under_orga_gets_menu_and_breadcrumb(app: Flask, seeded) -> None:  # type: ignore[no-untyped-def]
    def extras(slug: str) -> str:
        return render_template_string(
            '{% extends "base.html" %}{% block title %}Badges · Conf{% endblock %}'
            "{% block content %}<h1>Badges</h1>{% endblock %}"
        )

    app.add_url_rule("/orga/<slug>/badges", "extras_badges", extras)

    status, page = _get(app, seeded["organizer"], "/orga/navconf/badges")

    assert status == 200
    assert [label for label, _ in _menu(page)] == ORGANIZER_LABELS
    assert _crumbs(page) == [("Dashboard", "/orga/navconf/"), ("Badges", None)]


def test_public_pages_draw_no_menu_and_run_no_navigation_query(app: Flask, seeded) -> None:  # type: ignore[no-untyped-def]
    client = login(app.test_client(), seeded["organizer"])
    client.get("/navconf/")  # warm the program caches: measure the steady state
    for url in ("/navconf/", "/navconf/schedule/", f"/navconf/sessions/{seeded['placed_guid']}"):
        with count_queries() as log:
            response = client.get(url)
        page = lxml.html.fromstring(response.get_data(as_text=True))

        assert (url, response.status_code) == (url, 200)
        assert page.xpath('//nav[@class="orga-menu"] | //nav[@class="breadcrumb"]') == []
        # The navigation's own queries (roles, event by slug) never run on public pages.
        assert [s for s in log.statements if "event_memberships" in s] == []
        assert page.xpath('//header//a[text()="Organize"]/@href') == ["/orga/"]


def test_breadcrumb_under_a_path_prefix(app: Flask, seeded) -> None:  # type: ignore[no-untyped-def]
    client = login(app.test_client(), seeded["organizer"])
    url = f"/orga/navconf/submissions/{seeded['submitted'].id}"

    response = client.get(url, environ_overrides={"SCRIPT_NAME": "/podium"})
    page = lxml.html.fromstring(response.get_data(as_text=True))

    assert _crumbs(page) == [
        ("Dashboard", "/podium/orga/navconf/"),
        ("Submissions", "/podium/orga/navconf/submissions"),
        ("Submitted talk", None),
    ]
