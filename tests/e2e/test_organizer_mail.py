"""An organizer (not a site administrator) writes to a group of speakers in the browser.

Journey: log in → the dashboard's mail panel → a mail text refused for an unknown
placeholder → "Write to speakers" → group "accepted" with
placeholders → preview one mail per speaker → hold them in the outbox → "Send all" → the
event's outbox shows them queued and says that, with no SMTP server configured (the e2e
server has none), they stay in the outbox. Forms are operated with the keyboard only; every
page is checked with axe. The e2e server has no MailDev, so delivery is not followed further.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e import a11y
from tests.e2e.journey import PASSWORD, expect_flash, expect_h1, flash_text
from tests.e2e.server import LiveServer

SLUG = "mail-conf"
ORGANIZER = ("Mona Mailer", "mona@mail.example.org")
# (speaker name, address, accepted proposal titles); the second speaker has two proposals.
SPEAKERS = [
    ("Ada Lovelace", "ada@mail.example.org", ["Analytical engines"]),
    ("Grace Hopper", "grace@mail.example.org", ["Compilers for everyone", "Nanoseconds"]),
]

# Runs inside `podium shell` on the live server's database: an event, a non-admin organizer
# and two speakers with accounts whose proposals are accepted. One line, so the interactive
# console reading stdin needs no blank lines between blocks.
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
event = Event(slug=SLUG, name="Mail Conf", time_zone="Europe/Brussels",
              start_date=date(2031, 5, 17), end_date=date(2031, 5, 18), is_public=True)
db.session.add(event)
db.session.flush()
db.session.add(EventMembership(event_id=event.id, user_id=person(*ORGANIZER).id,
                               role="organizer"))
for name, email, titles in SPEAKERS:
    profile = SpeakerProfile(user_id=person(name, email).id, name=name)
    db.session.add(profile)
    db.session.flush()
    for title in titles:
        sub = Submission(event_id=event.id, guid=str(uuid.uuid4()), title=title,
                         duration_minutes=30, state="accepted")
        db.session.add(sub)
        db.session.flush()
        db.session.add(SubmissionSpeaker(submission_id=sub.id, speaker_id=profile.id,
                                         position=0, is_submitter=True))
db.session.commit()
print("seeded", event.slug)
"""
for _name, _value in (
    ("PASSWORD", PASSWORD),
    ("SLUG", SLUG),
    ("ORGANIZER", ORGANIZER),
    ("SPEAKERS", SPEAKERS),
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


def test_organizer_writes_to_accepted_speakers_and_sends(
    live_server: LiveServer, new_page, screenshot
) -> None:  # type: ignore[no-untyped-def]
    assert "seeded mail-conf" in live_server.cli("shell", input_text=SEED)
    page = new_page("organizer")
    _log_in(page, ORGANIZER[1])

    # The dashboard's mail panel: nothing yet, so no warning.
    page.goto(f"/orga/{SLUG}/")
    panel = page.locator("section.mail-panel")
    expect(panel.get_by_role("heading", name="Mail")).to_be_visible()
    expect(panel.get_by_role("link", name="held: 0")).to_be_visible()
    a11y.check_page(page, "dashboard with mail panel")
    # Mail texts: a typo in a placeholder is a form error naming it, not a blank in a mail.
    # (Its own tab: the refused form answers 400, which check_page counts against the page.)
    texts = new_page("organizer-texts")
    _log_in(texts, ORGANIZER[1])
    texts.goto(f"/orga/{SLUG}/mail/templates")
    expect_h1(texts, "Mail texts: Mail Conf")
    a11y.check_page(texts, "mail texts")
    reminder = texts.locator("#text-reminder")
    a11y.fill_by_keyboard(
        texts,
        [(reminder.get_by_label("Text", exact=True), "Dear {speakername}, please confirm.")],
        submit=reminder.get_by_role("button", name="Save confirmation reminder"),
    )
    expect(texts.locator("#text-reminder .field-error")).to_have_text(
        "Unknown placeholder(s): {speakername}. Use {speaker_name}, {submission_title}, "
        "{event_name}, {event_url}, {confirmation_link}, {session_day}, {session_time}, "
        "{session_room}."
    )
    refused = [v["id"] for v in a11y.run_axe(texts) if v["id"] in a11y.ASSERTED_RULES]
    assert refused == []
    screenshot(texts, "mail texts placeholder error")

    a11y.press_by_keyboard(page, panel.get_by_role("link", name="Outbox"))
    expect_h1(page, "Mail: Mail Conf")
    a11y.press_by_keyboard(page, page.get_by_role("link", name="Write to speakers"))
    expect_h1(page, "Write to speakers: Mail Conf")
    a11y.check_page(page, "write to speakers")

    a11y.fill_by_keyboard(
        page,
        [
            (
                page.get_by_label("To", exact=True),
                "Speakers of accepted proposals (confirmed or not)",
            ),
            (page.get_by_label("Subject"), "Slides for {event_name}"),
            (
                page.get_by_label("Text", exact=True),
                "Dear {speaker_name}, please send your slides. {event_url}",
            ),
        ],
        submit=page.get_by_role("button", name="Preview"),
    )
    expect(page.get_by_role("heading", name="Preview: 2 mail(s)")).to_be_visible()
    previews = page.locator("article.mail-preview")
    expect(previews).to_have_count(2)
    expect(previews.nth(0)).to_contain_text("To: Ada Lovelace <ada@mail.example.org>")
    expect(previews.nth(0)).to_contain_text("Dear Ada Lovelace, please send your slides.")
    # Grace has two proposals but the text is the same: one mail.
    expect(previews.nth(1)).to_contain_text("To: Grace Hopper <grace@mail.example.org>")
    a11y.check_page(page, "write to speakers preview")
    screenshot(page, "mail compose preview", phone=True)

    a11y.press_by_keyboard(page, page.get_by_role("button", name="Hold in outbox"))
    expect_flash(page, "2 mail(s) held in the outbox: check them, then send them.")
    expect_h1(page, "Mail: Mail Conf")
    rows = page.locator("table.outbox tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("held")
    a11y.check_page(page, "event outbox held")
    screenshot(page, "event outbox held")

    a11y.press_by_keyboard(page, page.get_by_role("button", name="Send all 2 held mail(s)"))
    expect_flash(
        page,
        "2 mail(s) moved to the outbox queue, but no SMTP server is configured "
        "(PODIUM_SMTP_HOST): mail stays in the outbox until one is.",
    )
    expect(page.locator("main")).to_contain_text(
        "held and queued mail stays in the outbox until one is configured"
    )
    states = [
        s.strip() for s in page.locator("table.outbox tbody tr td:nth-child(2)").all_inner_texts()
    ]
    assert states == ["queued", "queued"]
    a11y.check_page(page, "event outbox queued")
    screenshot(page, "event outbox queued with no-sender warning", phone=True)

    a11y.press_by_keyboard(page, page.get_by_role("link", name="Slides for Mail Conf").first)
    expect_h1(page, "Slides for Mail Conf")
    body = page.locator("pre.mail-body").inner_text()
    assert re.fullmatch(
        r"Dear Grace Hopper, please send your slides\. http://127\.0\.0\.1:\d+/mail-conf/", body
    ), body
    a11y.check_page(page, "event outbox one mail")

    page.goto(f"/orga/{SLUG}/")
    expect(page.locator("section.mail-panel").get_by_role("link", name="queued: 2")).to_be_visible()
    screenshot(page, "dashboard mail panel")
