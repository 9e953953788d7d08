"""Every organizer form that takes a local date-time asks which one on a repeated DST hour."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from podium.events.models import Event
from podium.extensions import db
from tests.support.auth import login
from tests.support.factories import EventFactory, MembershipFactory, UserFactory

SETTINGS = {
    "name": "Herbst",
    "time_zone": "Europe/Berlin",
    "start_date": "2025-11-20",
    "end_date": "2025-11-21",
    "cfp_opens_at": "2025-09-01T09:00",
    "cfp_closes_at": "2025-10-26T02:30",  # happens twice: clocks go back at 03:00 CEST
}


def _radios(html: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, checked) of each radio named ``name``."""
    found = re.findall(
        rf'<input( checked)? id="{name}-\d" name="{name}" type="radio" value="(\d)"> ([^<]+?)\s*<',
        html,
    )
    return [(value, label, bool(checked)) for checked, value, label in found]


def _organizer_event(client: FlaskClient, **fields: object) -> Event:
    organizer = UserFactory()
    event = EventFactory(time_zone="Europe/Berlin", **fields)
    MembershipFactory(event=event, user=organizer, role="organizer")
    login(client, organizer)
    return event


def test_cfp_closing_in_repeated_hour_asks_which_then_saves_it(
    app: Flask, client: FlaskClient
) -> None:
    event = _organizer_event(client)

    response = client.post(f"/orga/{event.slug}/settings", data=SETTINGS)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (
        '<p class="field-error" id="cfp_closes_at-error">2025-10-26 02:30 happens twice in '
        "Europe/Berlin (clocks go back): choose the first (UTC+2) or the second (UTC+1) one.</p>"
    ) in html
    assert _radios(html, "cfp_closes_at_fold") == [
        ("0", "first (UTC+2)", False),
        ("1", "second (UTC+1)", False),
    ]
    assert _radios(html, "cfp_opens_at_fold") == []  # 09:00 on 1 September happens once

    response = client.post(
        f"/orga/{event.slug}/settings", data={**SETTINGS, "cfp_closes_at_fold": "1"}
    )

    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Event, event.id).cfp_closes_at
    assert stored == datetime(2025, 10, 26, 1, 30, tzinfo=UTC)


def test_settings_form_preselects_stored_occurrence(app: Flask, client: FlaskClient) -> None:
    event = _organizer_event(
        client,
        cfp_opens_at=datetime(2025, 9, 1, 7, 0, tzinfo=UTC),
        cfp_closes_at=datetime(2025, 10, 26, 0, 30, tzinfo=UTC),  # 02:30 CEST, the first
    )

    html = client.get(f"/orga/{event.slug}/settings").get_data(as_text=True)

    assert 'value="2025-10-26T02:30"' in html
    assert _radios(html, "cfp_closes_at_fold") == [
        ("0", "first (UTC+2)", True),
        ("1", "second (UTC+1)", False),
    ]


def test_review_closing_in_repeated_hour_asks_which(app: Flask, client: FlaskClient) -> None:
    event = _organizer_event(client)
    data = {"review_closes_at": "2025-10-26T02:15", "score_min": "0", "score_max": "3"}

    response = client.post(f"/orga/{event.slug}/review/settings", data=data)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "2025-10-26 02:15 happens twice in Europe/Berlin (clocks go back)" in html
    assert _radios(html, "review_closes_at_fold") == [
        ("0", "first (UTC+2)", False),
        ("1", "second (UTC+1)", False),
    ]
    assert db.session.get(Event, event.id).review_closes_at is None

    response = client.post(
        f"/orga/{event.slug}/review/settings", data={**data, "review_closes_at_fold": "0"}
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).review_closes_at == datetime(
        2025, 10, 26, 0, 15, tzinfo=UTC
    )
