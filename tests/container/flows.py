"""What a person does on a running Podium, over plain HTTP: sign up, confirm, log in, submit.

Kept in one module so that a change of page, URL or form field means a change here only. Forms
are read from the served HTML (field names, hidden inputs such as the CSRF token, the preselected
options), so the flows need to know only the URLs and the few values a person types.

Standard library only (urllib with a cookie jar, html.parser): the container tests must not
depend on anything the image does not need.
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Pages and endpoints the flows use (relative to the site's base URL).
SIGNUP_PATH = "/account/signup"
LOGIN_PATH = "/account/login"
CONFIRM_LINK = re.compile(r"https?://[^\s\"'<>]+/account/confirm/[^\s\"'<>]+")
SUBMIT_PATH = "/{slug}/submit"
MY_SUBMISSIONS_PATH = "/{slug}/me/"

# Run inside the web container (`compose run --rm -T web python -`): an event whose CfP is open,
# with one session type, organised by ``{admin_email}``. Through the services, as the
# organizer's web form would, because no HTTP-free way to make one exists yet.
CREATE_EVENT_SCRIPT = """
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from podium import create_app
from podium.accounts.models import User
from podium.events.services import EventDetails, create_event, save_session_type
from podium.extensions import db

app = create_app()
with app.app_context():
    admin = db.session.scalar(select(User).where(User.email == {admin_email!r}))
    now = datetime.now(UTC)
    event = create_event(
        slug={slug!r},
        details=EventDetails(
            name="Container Conference",
            time_zone="Europe/Brussels",
            start_date=(now + timedelta(days=60)).date(),
            end_date=(now + timedelta(days=61)).date(),
            cfp_opens_at=now - timedelta(days=1),
            cfp_closes_at=now + timedelta(days=30),
            is_public=True,
        ),
        creator=admin,
    )
    save_session_type(event=event, name="Talk", default_duration_minutes=30)
    print("created event", event.slug)
"""


@dataclass
class Page:
    """A response as the browser saw it: final URL after redirects, status, decoded body."""

    url: str
    status: int
    text: str


@dataclass
class Form:
    """One <form>: where it posts and the values a browser would send without any typing."""

    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)


class _FormParser(HTMLParser):
    """Collect every form's action, method, inputs, textareas and select options."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(action=a.get("action", ""), method=a.get("method", "get")))
        elif not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    form.fields[name] = a.get("value", "on")
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                form.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            form.options[name] = []
        elif tag == "option" and self._select:
            value = a.get("value", "")
            form.options[self._select].append(value)
            if "selected" in a or self._select not in form.fields:
                form.fields[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data


def parse_forms(text: str) -> list[Form]:
    """Every form on an HTML page, in document order."""
    parser = _FormParser()
    parser.feed(text)
    return parser.forms


class Browser:
    """A cookie-keeping HTTP client that follows redirects like a browser (POST → GET)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def url(self, path: str) -> str:
        """Absolute URL of a site path (absolute URLs pass through)."""
        return urllib.parse.urljoin(self.base_url + "/", path)

    def request(self, path: str, data: dict[str, str] | None = None) -> Page:
        """GET ``path``, or POST ``data`` form-encoded; 4xx/5xx come back as pages too."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.url(path), data=body)
        try:
            with self.opener.open(request, timeout=30) as response:
                return Page(response.geturl(), response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Page(error.geturl() or self.url(path), error.code, error.read().decode())

    def submit(self, path: str, values: dict[str, str], *, needs: str | None = None) -> Page:
        """Open ``path``, fill its POST form (the first with a field named ``needs``), send it.

        Raises:
            AssertionError: the page has no such form, or a value names a field it lacks.
        """
        page = self.request(path)
        assert page.status == 200, f"GET {path}: {page.status}\n{page.text[:2000]}"
        forms = [
            f
            for f in parse_forms(page.text)
            if f.method.lower() == "post" and (needs is None or needs in f.fields)
        ]
        assert forms, f"no POST form{' with ' + needs if needs else ''} on {page.url}"
        form = forms[0]
        unknown = sorted(set(values) - set(form.fields))
        assert not unknown, f"{page.url} has no fields {unknown}; it has {sorted(form.fields)}"
        return self.request(urllib.parse.urljoin(page.url, form.action), {**form.fields, **values})


def sign_up(browser: Browser, *, name: str, email: str, password: str) -> Page:
    """Fill in the sign-up form."""
    return browser.submit(
        SIGNUP_PATH,
        {"name": name, "email": email, "password": password, "password_repeat": password},
        needs="email",
    )


def wait_for_mail(maildev_url: str, *, to: str, timeout: float = 90) -> dict:
    """The newest message MailDev caught for address ``to`` (its REST API, GET /email).

    Raises:
        AssertionError: no such message within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(maildev_url.rstrip("/") + "/email", timeout=10) as response:
            messages = json.load(response)
        mine = [
            m
            for m in messages
            if any(r.get("address", "").lower() == to.lower() for r in m.get("to", []))
        ]
        if mine:
            return mine[-1]
        time.sleep(1)
    raise AssertionError(f"no mail to {to} reached MailDev within {timeout:.0f} s")


def confirmation_link(message: dict) -> str:
    """The /account/confirm/<token> link in a confirmation mail (text part, else HTML)."""
    for part in (message.get("text") or "", html.unescape(message.get("html") or "")):
        match = CONFIRM_LINK.search(part)
        if match:
            return match.group(0)
    raise AssertionError(f"no confirmation link in mail {message.get('subject')!r}")


def confirm(browser: Browser, link: str) -> Page:
    """Open the confirmation link and press its "Confirm" button."""
    return browser.submit(link, {})


def log_in(browser: Browser, *, email: str, password: str) -> Page:
    """Fill in the login form."""
    return browser.submit(LOGIN_PATH, {"email": email, "password": password}, needs="password")


def submit_proposal(browser: Browser, *, slug: str, title: str, abstract: str) -> Page:
    """Submit a proposal to event ``slug``, choosing its first session type."""
    path = SUBMIT_PATH.format(slug=slug)
    form = parse_forms(browser.request(path).text)
    session_types = next(
        (f.options.get("session_type", []) for f in form if "title" in f.fields), []
    )
    chosen = [value for value in session_types if value]
    values = {"title": title, "abstract": abstract}
    if chosen:
        values["session_type"] = chosen[0]
    return browser.submit(path, values, needs="title")


def my_submissions(browser: Browser, *, slug: str) -> Page:
    """The logged-in speaker's submissions page for event ``slug``."""
    return browser.request(MY_SUBMISSIONS_PATH.format(slug=slug))
