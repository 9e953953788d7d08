"""Getting to the organizer area: the header's "Organize", its page, the account page."""

from __future__ import annotations

import datetime as dt

import lxml.html
from flask import Flask
from flask.testing import FlaskClient

from tests.support.auth import login
from tests.support.factories import EventFactory, MembershipFactory, UserFactory


def _page(client: FlaskClient, url: str) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.get_data(as_text=True))


def _events(page: lxml.html.HtmlElement) -> list[tuple[str, str | None, list[str]]]:
    """Each listed event as (name, link, role badges)."""
    return [
        (
            li.xpath("./a[1]/text()")[0] if li.xpath("./a") else li.text_content().split()[0],
            (li.xpath("./a[1]/@href") or [None])[0],
            li.xpath('./span[@class="badge"]/text()'),
        )
        for li in page.xpath('//ul[contains(@class, "workspace-events")]/li')
    ]


def _day(offset: int) -> dt.date:
    return dt.date(2031, 1, 1) + dt.timedelta(days=offset)


def test_organize_page_lists_organized_and_reviewed_events_with_roles(
    app: Flask, client: FlaskClient
) -> None:
    user = UserFactory()
    mine = EventFactory(name="Mine", slug="mine", start_date=_day(20), end_date=_day(21))
    both = EventFactory(name="Both", slug="both", start_date=_day(10), end_date=_day(11))
    reviewed = EventFactory(name="Reviewed", slug="rev", start_date=_day(0), end_date=_day(1))
    EventFactory(name="Theirs", slug="theirs")
    MembershipFactory(event=mine, user=user)
    MembershipFactory(event=both, user=user)
    MembershipFactory(event=both, user=user, role="reviewer")
    MembershipFactory(event=reviewed, user=user, role="reviewer")
    login(client, user)

    page = _page(client, "/orga/")

    assert _events(page) == [
        ("Mine", "/orga/mine/", ["organizer"]),
        ("Both", "/orga/both/", ["organizer", "reviewer"]),
        ("Reviewed", "/review/rev/", ["reviewer"]),
    ]
    assert page.xpath('//li[a[@href="/orga/both/"]]/a/text()') == ["Both", "My reviews"]
    assert page.xpath('//a[text()="New event"]') == []


def test_administrator_on_no_team_sees_every_event_and_new_event(
    app: Flask, client: FlaskClient
) -> None:
    admin = UserFactory(is_admin=True)
    EventFactory(name="Only", slug="only")
    login(client, admin)

    organize = _page(client, "/orga/")
    account = _page(client, "/account/")

    assert _events(organize) == [("Only", "/orga/only/", ["administrator"])]
    assert organize.xpath('//main//a[text()="New event"]/@href') == ["/orga/events/new"]
    assert account.xpath('//p[@class="admin-events"]/a/@href') == ["/orga/", "/orga/events/new"]
    assert account.xpath('//header//a[text()="Organize"]/@href') == ["/orga/"]


def test_speaker_on_no_team_is_told_how_to_join(app: Flask, client: FlaskClient) -> None:
    login(client, UserFactory())

    page = _page(client, "/orga/")
    account = _page(client, "/account/")

    assert _events(page) == []
    assert page.xpath("//main/p/text()") == [
        "You are not on any event's team. An event's organizers invite you from its Team page."
    ]
    assert account.xpath('//p[@class="admin-events"]') == []


def test_header_offers_organize_only_when_logged_in(app: Flask, client: FlaskClient) -> None:
    anonymous = _page(client, "/")
    login(client, UserFactory())
    member = _page(client, "/")

    assert anonymous.xpath('//header//a[text()="Organize"]') == []
    assert member.xpath('//header//a[text()="Organize"]/@href') == ["/orga/"]
