"""The people of the journey and what each does in the browser, one function per step.

Each step drives real pages of the live server through their labels and roles (as a screen
reader user would find them) and asserts what the user sees afterwards. Times: the event lives
in ``EVENT_ZONE``; the form fields take wall-clock time there; the visitor later switches to
``OTHER_ZONE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e import a11y, journey_availability
from tests.e2e.mailbox import Outbox
from tests.e2e.server import LiveServer

EVENT_ZONE = "Europe/Brussels"
OTHER_ZONE = "America/New_York"
VISITOR_ZONE = "Asia/Tokyo"  # the anonymous visitor's browser zone
PASSWORD = "journey-password-2027"
LOCAL_INPUT = "%Y-%m-%dT%H:%M"
DASH = "\N{EN DASH}"  # between the ends of a time range, as Podium writes them


@dataclass(frozen=True)
class Person:
    """Someone in the journey; the organizer is a site administrator made by the CLI."""

    name: str
    email: str
    password: str = PASSWORD


ORGANIZER = Person("Olga Organizer", "olga@journey.example.org")
SPEAKER = Person("Ada Lovelace", "ada@journey.example.org")
CO_SPEAKER = Person("Grace Hopper", "grace@journey.example.org")
REVIEWER = Person("Rita Reviewer", "rita@journey.example.org")


@dataclass
class Plan:
    """The event and proposal the journey creates, with dates relative to today (UTC)."""

    slug: str = "journey-conf"
    name: str = "Journey Conference"
    room: str = "Main Hall"
    session_type: str = "Talk"
    duration_minutes: int = 40
    title: str = "Engines that weave algebraic patterns"
    abstract: str = "How a general-purpose machine can compute Bernoulli numbers, step by step."
    start_date: date = field(default_factory=lambda: datetime.now(UTC).date() + timedelta(days=70))
    session_local_time: time = time(10, 30)

    @property
    def end_date(self) -> date:
        return self.start_date + timedelta(days=1)

    @property
    def session_start_local(self) -> datetime:
        """The scheduled start as wall-clock time in :data:`EVENT_ZONE`."""
        return datetime.combine(self.start_date, self.session_local_time, ZoneInfo(EVENT_ZONE))

    def session_start_in(self, zone: str) -> datetime:
        """The same instant as wall-clock time in ``zone``."""
        return self.session_start_local.astimezone(ZoneInfo(zone))

    def cfp_window_local(self) -> tuple[str, str]:
        """CfP opening (yesterday) and closing (in 30 days) as event-local input values."""
        zone = ZoneInfo(EVENT_ZONE)
        now = datetime.now(zone).replace(second=0, microsecond=0)
        return (
            (now - timedelta(days=1)).strftime(LOCAL_INPUT),
            (now + timedelta(days=30)).strftime(LOCAL_INPUT),
        )


def flash_text(page: Page) -> str:
    """The text of the page's flash messages (empty when there are none)."""
    flashes = page.locator(".flashes")
    return flashes.inner_text() if flashes.count() else ""


def expect_flash(page: Page, text: str) -> None:
    """Wait until a flash message containing ``text`` is shown."""
    expect(page.locator(".flashes")).to_contain_text(text)


def expect_h1(page: Page, text: str | re.Pattern[str]) -> None:
    """Assert the page's one level-one heading reads ``text``."""
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def log_in(page: Page, person: Person) -> None:
    """Log ``person`` in through /account/login with the keyboard only."""
    page.goto("/account/login")
    expect_h1(page, "Log in")
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("E-mail address"), person.email),
            (page.get_by_label("Password", exact=True), person.password),
        ],
        submit=page.get_by_role("main").get_by_role("button", name="Log in"),
    )
    assert "/account/login" not in page.url, flash_text(page)


def create_organizer(server: LiveServer, person: Person) -> None:
    """Make ``person`` a site administrator with ``podium create-admin``."""
    password_file = server.instance_path / "organizer-password.txt"
    password_file.write_text(person.password + "\n", encoding="utf-8")
    output = server.cli(
        "create-admin",
        "--email",
        person.email,
        "--name",
        person.name,
        "--password-file",
        str(password_file),
    )
    assert output.strip() == f"Created administrator {person.email}"


def organizer_creates_event(page: Page, plan: Plan) -> None:
    """From /orga/, create the event with its CfP open now (keyboard only); see its dashboard."""
    page.goto("/orga/")
    a11y.press_by_keyboard(page, page.get_by_role("link", name="New event"))
    expect_h1(page, "New event")
    a11y.check_page(page, "organizer new event form")
    opens, closes = plan.cfp_window_local()
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("Name", exact=True), plan.name),
            (page.get_by_label("Short name (in URLs)"), plan.slug),
            (page.get_by_label("Time zone"), EVENT_ZONE),
            (page.get_by_label("First day"), plan.start_date.isoformat()),
            (page.get_by_label("Last day"), plan.end_date.isoformat()),
            (page.get_by_label("CfP opens"), opens),
            (page.get_by_label("CfP closes"), closes),
            (page.get_by_label("Public (listed, program visible)"), True),
            (page.get_by_label("Description"), "A conference *about* the whole journey."),
        ],
        submit=page.get_by_role("button", name="Create event"),
    )
    expect_h1(page, plan.name)
    expect_flash(page, f"Event “{plan.name}” created.")
    assert page.url.endswith(f"/orga/{plan.slug}/")


def organizer_adds_room_and_session_type(page: Page, plan: Plan) -> None:
    """Add (keyboard only) the room of the session and the session type it is proposed as."""
    page.goto(f"/orga/{plan.slug}/rooms")
    expect_h1(page, "Rooms")
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("Name", exact=True), plan.room),
            (page.get_by_label("Capacity", exact=True), "300"),
        ],
        submit=page.get_by_role("button", name="Add", exact=True),
    )
    expect_flash(page, "Added.")
    expect(page.get_by_label(f"Name of {plan.room}")).to_have_value(plan.room)
    a11y.check_page(page, "organizer rooms")

    page.goto(f"/orga/{plan.slug}/session-types")
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("Name", exact=True), plan.session_type),
            (
                page.get_by_label("Default duration (minutes)", exact=True),
                str(plan.duration_minutes),
            ),
        ],
        submit=page.get_by_role("button", name="Add", exact=True),
    )
    expect_flash(page, "Added.")
    expect(page.get_by_label(f"Name of {plan.session_type}")).to_have_value(plan.session_type)


def organizer_invites_reviewer(page: Page, plan: Plan, reviewer: Person) -> None:
    """Invite ``reviewer`` to the team as a reviewer (keyboard only; the invitation is mailed)."""
    page.goto(f"/orga/{plan.slug}/team")
    expect_h1(page, "Team")
    a11y.check_page(page, "organizer team")
    a11y.fill_by_keyboard(
        page,
        [(page.get_by_label("E-mail"), reviewer.email), (page.get_by_label("Role"), "Reviewer")],
        submit=page.get_by_role("button", name="Send invitation"),
    )
    expect_flash(page, f"Invitation sent to {reviewer.email}.")


ANONYMISED = "Anonymised review (hide speaker names, bios, avatars)"


def organizer_sets_anonymised_review(page: Page, plan: Plan) -> None:
    """Switch on anonymised review in the event's review settings (keyboard only)."""
    page.goto(f"/orga/{plan.slug}/review/")
    a11y.fill_by_keyboard(
        page,
        [(page.get_by_label(ANONYMISED), True)],
        submit=page.get_by_role("button", name="Save settings"),
    )
    expect_flash(page, "Review settings saved.")
    expect(page.get_by_label(ANONYMISED)).to_be_checked()


def organizer_assigns_reviewer(page: Page, plan: Plan, reviewer: Person) -> None:
    """Assign ``reviewer`` to all submissions of the event (keyboard only)."""
    page.goto(f"/orga/{plan.slug}/review/")
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("Reviewer", exact=True), reviewer.name),
            (page.get_by_label("All submissions"), True),
        ],
        submit=page.get_by_role("button", name="Assign"),
    )
    expect_flash(page, "Assignment added.")
    expect(page.get_by_role("cell", name=reviewer.name)).to_be_visible()
    a11y.check_page(page, "organizer review settings and assignments")


# -- accounts ----------------------------------------------------------------------------------


def sign_up_and_confirm(page: Page, outbox: Outbox, server: LiveServer, person: Person) -> None:
    """Sign up with the keyboard only, confirm through the mailed link, log in (keyboard)."""
    page.goto("/")
    a11y.press_by_keyboard(page, page.get_by_role("link", name="Sign up"))
    expect_h1(page, "Sign up")
    a11y.check_page(page, "sign-up form")
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("Name"), person.name),
            (page.get_by_label("E-mail address"), person.email),
            (page.get_by_label("Password", exact=True), person.password),
            (page.get_by_label("Password again"), person.password),
        ],
        submit=page.get_by_role("button", name="Create account"),
    )
    page.wait_for_url("**/account/login")
    expect_flash(page, f"We have sent a confirmation link to {person.email}.")

    mail = outbox.read(to=person.email, subject_contains="Confirm your e-mail address")
    assert mail.base_url() == server.url
    page.goto(mail.link("/account/confirm/"))
    expect_h1(page, "Confirm your e-mail address")
    a11y.press_by_keyboard(page, page.get_by_role("button", name="Confirm my address"))
    page.wait_for_url("**/account/login")
    expect_flash(page, f"Your address {person.email} is confirmed.")
    log_in(page, person)
    expect_h1(page, f"Hello, {person.name}")


def accept_team_invitation(page: Page, outbox: Outbox, plan: Plan, person: Person) -> None:
    """Open the mailed team invitation (already logged in) and accept it."""
    mail = outbox.read(to=person.email, subject_contains=f"the {plan.name} team")
    page.goto(mail.link("/invite/team/"))
    expect_h1(page, f"Join the team of {plan.name}")
    a11y.press_by_keyboard(page, page.get_by_role("button", name="Accept invitation"))
    expect_flash(page, f"You joined the team of {plan.name} as reviewer.")
    expect_h1(page, f"Review: {plan.name}")


# -- speaker -----------------------------------------------------------------------------------


def speaker_fills_profile(page: Page, person: Person, avatar_png: bytes) -> None:
    """Fill the speaker profile: display name, Markdown biography and an avatar image."""
    page.goto("/speaker/profile")
    expect_h1(page, "Speaker profile")
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("Display name"), person.name),
            (page.get_by_label("Biography"), f"{person.name} writes **programs** for engines."),
        ],
        submit=None,
    )
    # Choosing a file happens in the system's file dialog, outside the page.
    page.get_by_label("Avatar").set_input_files(
        files=[{"name": "avatar.png", "mimeType": "image/png", "buffer": avatar_png}]
    )
    a11y.press_by_keyboard(page, page.get_by_role("button", name="Save"))
    expect_flash(page, "Profile saved.")
    expect(page.get_by_role("img", name="Your current avatar")).to_be_visible()
    expect(page.locator(".markdown strong")).to_have_text("programs")
    a11y.check_page(page, "speaker profile")


def speaker_finds_cfp(page: Page, plan: Plan) -> None:
    """From the front page, reach the event's call for proposals."""
    page.goto("/")
    a11y.press_by_keyboard(page, page.get_by_role("link", name=plan.name))
    expect_h1(page, plan.name)
    a11y.press_by_keyboard(page, page.get_by_role("link", name="Call for proposals"))
    expect_h1(page, f"Call for proposals: {plan.name}")
    a11y.check_page(page, "cfp page")


def speaker_submits_proposal(page: Page, plan: Plan, co_speaker: Person, screenshot) -> None:  # type: ignore[no-untyped-def]
    """Submit the proposal with a co-speaker and the answers to the organizers' questions,
    keyboard only; screenshot the CfP form."""
    from tests.e2e import journey_questions  # it imports this module: import it when called

    page.goto(f"/{plan.slug}/cfp")
    a11y.press_by_keyboard(page, page.get_by_role("link", name="Submit a proposal"))
    expect_h1(page, f"Submit a proposal to {plan.name}")
    a11y.check_page(page, "cfp submission form")
    screenshot(page, "cfp submission form", phone=True)
    page.reload()
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("Title"), plan.title),
            (page.get_by_label("Abstract"), plan.abstract),
            (page.get_by_label("Description"), "Notes on the *Analytical Engine*."),
            (
                page.get_by_label("Session type"),
                f"{plan.session_type} ({plan.duration_minutes} min)",
            ),
            *journey_questions.speaker_answers(page),
            (page.get_by_label("Co-speaker's e-mail"), co_speaker.email),
            (page.get_by_label("Co-speaker's name"), co_speaker.name),
            *journey_availability.availability_fields(page),
        ],
        submit=page.get_by_role("button", name="Submit", exact=True),
    )
    page.wait_for_url(f"**/{plan.slug}/me/")
    expect_flash(page, f"“{plan.title}” submitted.")
    row = page.get_by_role("row").filter(has_text=plan.title)
    expect(row.get_by_role("cell").nth(2)).to_have_text("submitted")


def co_speaker_accepts(page: Page, outbox: Outbox, plan: Plan, person: Person) -> None:
    """The co-speaker opens the mailed invitation (logged in) and accepts it."""
    mail = outbox.read(to=person.email, subject_contains=f"co-present “{plan.title}”")
    page.goto(mail.link("/invite/speaker/"))
    expect_h1(page, f"Co-present “{plan.title}”")
    a11y.press_by_keyboard(page, page.get_by_role("button", name="Accept"))
    expect_flash(page, f"You are now a speaker of “{plan.title}”.")
    row = page.get_by_role("row").filter(has_text=plan.title)
    expect(row.get_by_role("cell").nth(1)).to_contain_text(person.name)


# -- review ------------------------------------------------------------------------------------


def reviewer_scores_anonymously(
    page: Page,
    plan: Plan,
    hidden: list[Person],
    screenshot,  # type: ignore[no-untyped-def]
) -> None:
    """Score the proposal 3 with the keyboard; no speaker name, address or avatar is shown,
    neither on the page nor in the reviewer's CSV and JSON exports."""
    page.goto(f"/review/{plan.slug}/")
    expect_h1(page, f"Review: {plan.name}")
    a11y.press_by_keyboard(page, page.get_by_role("link", name=plan.title))
    expect_h1(page, plan.title)
    text = page.locator("body").inner_text()
    for person in hidden:
        for secret in (person.name, person.email, *person.name.split()):
            assert secret not in text, f"the anonymised review shows {secret!r}"
    assert page.locator("img[src*='/speaker/avatars/']").count() == 0
    for export in ("submissions.csv", "submissions.json"):
        response = page.request.get(f"/review/{plan.slug}/{export}")
        assert response.status == 200
        assert plan.title in response.text()
        for person in hidden:
            assert person.name not in response.text(), f"{export} shows {person.name}"
            assert person.email not in response.text(), f"{export} shows {person.email}"
    assert "Review is anonymised: speakers are not shown." in text
    a11y.check_page(page, "reviewer view")
    screenshot(page, "reviewer view", phone=True)
    page.reload()
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_role("radio", name="3"), True),
            (page.get_by_label("Comment"), "Clear, original, well scoped."),
        ],
        submit=page.get_by_role("button", name="Save review"),
    )
    page.wait_for_load_state()
    expect_flash(page, "Review saved.")
    page.goto(f"/review/{plan.slug}/")
    row = page.get_by_role("row").filter(has_text=plan.title)
    expect(row.get_by_role("cell").last).to_have_text("3")


def organizer_checks_ranking(page: Page, plan: Plan, screenshot) -> None:  # type: ignore[no-untyped-def]
    """The ranking lists the proposal with the reviewer's score; screenshot it."""
    page.goto(f"/orga/{plan.slug}/ranking")
    expect_h1(page, f"Ranking: {plan.name}")
    row = page.get_by_role("row").filter(has_text=plan.title)
    cells = row.get_by_role("cell")
    expect(cells.nth(4)).to_have_text(re.compile(r"^3(\.0+)?$"))
    expect(cells.nth(6)).to_have_text("1")
    a11y.check_page(page, "ranking")
    screenshot(page, "ranking", phone=True)


def organizer_accepts_and_sends_decisions(page: Page, plan: Plan) -> None:
    """Accept the proposal, release the decision, send the held mails (keyboard only)."""
    page.goto(f"/orga/{plan.slug}/decisions")
    expect_h1(page, f"Decisions: {plan.name}")
    a11y.check_page(page, "decisions")
    a11y.fill_by_keyboard(
        page,
        [
            (page.get_by_label("Decision", exact=True), "Accept"),
            (page.get_by_label(f"Pick {plan.title}"), True),
        ],
        submit=page.get_by_role("button", name="Apply to ticked"),
    )
    expect_flash(page, "1 pending decision(s) updated")
    a11y.press_by_keyboard(page, page.get_by_role("button", name="Release 1 decision(s)"))
    # One acceptance mail per speaker, held so the organizer can read them first.
    expect_flash(page, "1 decision(s) released, 2 mail(s) held for checking.")
    # Held decision mails are read in the event's outbox, filtered to held mail.
    expect_h1(page, f"Mail: {plan.name}")
    a11y.check_page(page, "held decision mails")
    a11y.press_by_keyboard(page, page.get_by_role("button", name="Send all 2 held mail(s)"))
    # The test server has no SMTP server, and the message says that mail stays in the outbox.
    expect_flash(page, "2 mail(s) moved to the outbox queue, but no SMTP server is configured")
    page.goto(f"/orga/{plan.slug}/decisions")
    row = page.get_by_role("row").filter(has_text=plan.title)
    expect(row.get_by_role("cell").nth(3)).to_have_text("accepted")


def speaker_confirms(page: Page, outbox: Outbox, plan: Plan, person: Person) -> None:
    """Follow the acceptance mail's link and confirm the session (keyboard only)."""
    mail = outbox.read(to=person.email, subject_contains="was accepted")
    assert plan.title in mail.body
    page.goto(mail.link(f"/review/{plan.slug}/confirm/"))
    expect_h1(page, plan.title)
    a11y.check_page(page, "speaker confirmation")
    a11y.fill_by_keyboard(
        page,
        [(page.get_by_label("I will present it"), True)],
        submit=page.get_by_role("button", name="Send my answer"),
    )
    page.wait_for_load_state()
    expect_flash(page, "Thank you, your answer was recorded.")
    page.goto(f"/{plan.slug}/me/")
    row = page.get_by_role("row").filter(has_text=plan.title)
    expect(row.get_by_role("cell").nth(2)).to_have_text("confirmed")


# -- schedule ----------------------------------------------------------------------------------


def organizer_schedules_and_publishes(page: Page, plan: Plan, screenshot) -> None:  # type: ignore[no-untyped-def]
    """Place the session in its room at its local start time, publish (keyboard only)."""
    page.goto(f"/orga/{plan.slug}/schedule/")
    expect_h1(page, f"Schedule editor: {plan.name}")
    place = page.get_by_role("region", name="Place a session")
    a11y.fill_by_keyboard(
        page,
        [
            (place.get_by_label("Session"), plan.title),
            (place.get_by_label("Room"), plan.room),
            (place.get_by_label("Start"), plan.session_start_local.strftime(LOCAL_INPUT)),
        ],
        submit=place.get_by_role("button", name="Place"),
    )
    expect_flash(page, f"Scheduled “{plan.title}”.")
    local = plan.session_start_local
    end = local + timedelta(minutes=plan.duration_minutes)
    row = page.get_by_role("row").filter(has_text=plan.title)
    expect(row.get_by_role("cell").first).to_have_text(f"{local:%H:%M}{DASH}{end:%H:%M}")
    expect(row.get_by_role("cell").nth(1)).to_have_text(plan.room)
    a11y.check_page(page, "schedule editor")
    screenshot(page, "schedule editor", phone=True)
    a11y.fill_by_keyboard(
        page,
        [(page.get_by_label("Comment (shown with the changelog)"), "First schedule")],
        submit=page.get_by_role("button", name="Publish schedule"),
    )
    expect_flash(page, "Published release 1: 1 new, 0 moved")


# -- public program ----------------------------------------------------------------------------


def visitor_sees_program(page: Page, plan: Plan, screenshot) -> None:  # type: ignore[no-untyped-def]
    """An anonymous visitor (keyboard only) finds the session in the event's zone, then in
    two other zones.

    The first switch uses the ``?tz=`` form (works without JavaScript), the second the
    "Show in my time zone" link that program.js fills from the browser's own zone.
    """
    page.goto("/")
    a11y.press_by_keyboard(page, page.get_by_role("link", name=plan.name))
    expect_h1(page, plan.name)
    a11y.check_page(page, "public event page")
    a11y.press_by_keyboard(page, page.get_by_role("link", name=re.compile(r"^Schedule: ")).first)
    expect_h1(page, re.compile(r"^Schedule"))
    _expect_session_at(page, plan, EVENT_ZONE)
    a11y.check_page(page, "public schedule")
    screenshot(page, "public schedule", phone=True)
    # On a phone the grid scrolls inside its own region; the page itself must not.
    page.set_viewport_size({"width": 390, "height": 844})
    assert a11y.horizontal_overflow(page) == 0
    page.set_viewport_size({"width": 1280, "height": 900})

    a11y.fill_by_keyboard(
        page,
        [(page.get_by_label("Time zone"), OTHER_ZONE)],
        submit=page.get_by_role("button", name="Show"),
    )
    page.wait_for_url(re.compile(r"[?&]tz=America%2FNew_York"))
    _expect_session_at(page, plan, OTHER_ZONE)
    a11y.check_page(page, "public schedule in another zone")
    screenshot(page, "public schedule new york", phone=True)

    # program.js offers the browser's own zone (this visitor's browser is set to Tokyo).
    a11y.press_by_keyboard(
        page, page.get_by_role("link", name=f"Show in my time zone ({VISITOR_ZONE})")
    )
    page.wait_for_url(re.compile(r"[?&]tz=Asia%2FTokyo"))
    _expect_session_at(page, plan, VISITOR_ZONE)

    a11y.press_by_keyboard(page, page.get_by_role("link", name=plan.title))
    expect_h1(page, plan.title)
    expect(page.get_by_role("main")).to_contain_text(SPEAKER.name)
    expect(page.get_by_role("main")).to_contain_text(CO_SPEAKER.name)
    a11y.check_page(page, "public session page")


def _expect_session_at(page: Page, plan: Plan, zone: str) -> None:
    start = plan.session_start_in(zone)
    end = start + timedelta(minutes=plan.duration_minutes)
    expect(page.locator(".tz-name")).to_have_text(zone)
    cell = page.locator("td.session").filter(has_text=plan.title)
    expect(cell.locator(".session-time")).to_have_text(f"{start:%H:%M}{DASH}{end:%H:%M}")
    expect(cell.locator(".session-speakers")).to_contain_text(SPEAKER.name)
