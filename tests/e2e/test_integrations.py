"""An organizer connects other programs to the event in the browser: API tokens and webhooks.

Journey: log in → "API tokens" in the menu → create a read token with the keyboard (shown
once) → a program reads the private submissions list with it (speakers' e-mail included) →
revoke it → the program gets 401. Then "Webhooks": a URL inside the operator's network is
refused on the URL field; a public one is registered, its signing secret shown, "Send test"
queues a ping that the delivery log lists as queued (the e2e server runs no worker and may not
reach the internet, so delivery itself is covered by tests/webhooks). Every page is checked
with axe.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e import a11y
from tests.e2e.journey import PASSWORD, expect_flash, expect_h1, flash_text
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e

SLUG = "link-conf"
ORGANIZER = ("Lina Linker", "lina@link.example.org")
SPEAKER = ("Ada Lovelace", "ada@link.example.org")

_SEED_CODE = """
import secrets, uuid
from datetime import UTC, date, datetime
from podium.extensions import db
from podium.accounts.models import User
from podium.accounts.passwords import hash_password
from podium.events.models import Event, EventMembership
from podium.cfp.models import SpeakerProfile, Submission, SubmissionSpeaker
def person(name, email):
    user = User(email=email, name=name, password_hash=hash_password(PASSWORD),
                email_confirmed_at=datetime.now(UTC), security_stamp=secrets.token_hex(16))
    db.session.add(user)
    db.session.flush()
    return user
event = Event(slug=SLUG, name="Link Conf", time_zone="Europe/Brussels",
              start_date=date(2031, 5, 17), end_date=date(2031, 5, 18), is_public=True)
db.session.add(event)
db.session.flush()
db.session.add(EventMembership(event_id=event.id, user_id=person(*ORGANIZER).id,
                               role="organizer"))
profile = SpeakerProfile(user_id=person(*SPEAKER).id, name=SPEAKER[0])
db.session.add(profile)
db.session.flush()
sub = Submission(event_id=event.id, guid=str(uuid.uuid4()), title="Analytical engines",
                 duration_minutes=30, state="submitted")
db.session.add(sub)
db.session.flush()
db.session.add(SubmissionSpeaker(submission_id=sub.id, speaker_id=profile.id, position=0,
                                 is_submitter=True))
db.session.commit()
print("seeded", event.slug)
"""
for _name, _value in (
    ("PASSWORD", PASSWORD),
    ("SLUG", SLUG),
    ("ORGANIZER", ORGANIZER),
    ("SPEAKER", SPEAKER),
):
    _SEED_CODE = _SEED_CODE.replace(_name, repr(_value))
SEED = f"exec({_SEED_CODE!r})\n"


def _log_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/account/login")
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("E-mail address"), email),
            (page.get_by_label("Password", exact=True), PASSWORD),
        ],
        submit=page.get_by_role("main").get_by_role("button", name="Log in"),
    )
    assert "/account/login" not in page.url, flash_text(page)


def test_organizer_creates_and_revokes_token_and_registers_webhook(
    live_server: LiveServer, new_page, screenshot
) -> None:  # type: ignore[no-untyped-def]
    assert "seeded link-conf" in live_server.cli("shell", input_text=SEED)
    page = new_page("organizer")
    _log_in(page, ORGANIZER[1])
    page.goto(f"/orga/{SLUG}/")
    a11y.press_by_keyboard(page, page.get_by_role("link", name="API tokens"))
    expect_h1(page, "API tokens: Link Conf")
    a11y.check_page(page, "api tokens empty")

    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("Name"), "Signage"),
            (page.get_by_label("Read private data", exact=False), True),
        ],
        submit=page.get_by_role("button", name="Create token"),
    )
    token = page.get_by_label("New token").input_value()
    assert token.startswith("pdm_")
    expect(page.locator("table.api-tokens tbody tr")).to_contain_text("read:private")
    a11y.check_page(page, "api token created")
    screenshot(page, "api token shown once")

    api = f"/api/v1/events/{SLUG}/submissions"
    answer = page.request.get(api, headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200
    assert answer.headers["cache-control"] == "private, no-store"
    (submission,) = answer.json()["submissions"]
    assert submission["speakers"] == [{"name": SPEAKER[0], "email": SPEAKER[1]}]

    page.goto(f"/orga/{SLUG}/api-tokens/")  # the token is not shown again
    expect(page.locator("main")).not_to_contain_text(token)
    a11y.press_by_keyboard(page, page.get_by_role("button", name="Revoke token Signage"))
    expect_flash(page, "The token was revoked.")
    assert page.request.get(api, headers={"Authorization": f"Bearer {token}"}).status == 401

    a11y.press_by_keyboard(page, page.get_by_role("link", name="Webhooks"))
    expect_h1(page, "Webhooks: Link Conf")
    a11y.check_page(page, "webhooks empty")
    # Its own tab: the refused form answers 400, which check_page counts against the page.
    refused = new_page("organizer-refused")
    _log_in(refused, ORGANIZER[1])
    refused.goto(f"/orga/{SLUG}/webhooks/")
    a11y.fill_by_keyboard(
        refused,
        [
            (refused.get_by_label("URL"), "https://169.254.169.254/latest/meta-data/"),
            (refused.get_by_label("A schedule release is published", exact=False), True),
        ],
        submit=refused.get_by_role("button", name="Add endpoint"),
    )
    expect(refused.locator("#url-error")).to_have_text(
        "169.254.169.254 resolves to 169.254.169.254, a loopback, private or link-local "
        "address; webhooks only go to public addresses."
    )
    assert [v["id"] for v in a11y.run_axe(refused) if v["id"] in a11y.ASSERTED_RULES] == []
    screenshot(refused, "webhook private address refused")

    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("URL"), "https://93.184.216.34/podium"),
            (page.get_by_label("A speaker confirmed their session", exact=False), True),
        ],
        submit=page.get_by_role("button", name="Add endpoint"),
    )
    expect_flash(page, "The endpoint was added.")
    expect_h1(page, "Webhook endpoint")
    assert page.get_by_label("Signing secret").input_value().startswith("whsec_")
    a11y.press_by_keyboard(page, page.get_by_role("button", name="Send test"))
    expect_flash(page, "A test delivery is queued")
    row = page.locator("table.webhook-deliveries tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("ping")
    expect(row).to_contain_text("queued")
    a11y.check_page(page, "webhook endpoint with delivery log")
    screenshot(page, "webhook delivery log", phone=True)
