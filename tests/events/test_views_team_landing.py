"""Where a new team member lands: reviewers on their review list, never on a 403 page."""

from __future__ import annotations

from sqlalchemy import select

from podium.mail.models import OutboxMail
from tests.support.auth import login
from tests.support.factories import EventFactory, MembershipFactory, UserFactory


def _invitation_path(client, db_session, event, email: str, role: str) -> str:  # type: ignore[no-untyped-def]
    response = client.post(f"/orga/{event.slug}/team", data={"email": email, "role": role})
    assert response.status_code == 302
    mail = next(m for m in db_session.scalars(select(OutboxMail)) if email in m.recipients)
    link = next(line for line in mail.body_text.splitlines() if "/invite/team/" in line)
    return link.removeprefix("http://localhost")


def test_accepted_reviewer_invitation_lands_on_review_list(app, client, db_session) -> None:
    event = EventFactory()
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    login(client, organizer)
    path = _invitation_path(client, db_session, event, "rev@example.org", "reviewer")
    reviewer = login(app.test_client(), UserFactory(email="rev@example.org"))

    response = reviewer.post(path)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/review/{event.slug}/"


def test_accepted_organizer_invitation_lands_on_event_dashboard(app, client, db_session) -> None:
    event = EventFactory()
    organizer = UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    login(client, organizer)
    path = _invitation_path(client, db_session, event, "orga@example.org", "organizer")
    organizer = login(app.test_client(), UserFactory(email="orga@example.org"))

    response = organizer.post(path)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/orga/{event.slug}/"


def test_account_dashboard_links_reviewer_to_review_list(app, client) -> None:
    event = EventFactory(name="Reviewed Conf")
    reviewer = UserFactory()
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    login(client, reviewer)

    html = client.get("/account/").get_data(as_text=True)

    assert f'<a href="/review/{event.slug}/">Reviewed Conf</a>' in html
    assert f'href="/orga/{event.slug}/"' not in html
