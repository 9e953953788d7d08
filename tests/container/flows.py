"""What people do on a running Podium, over plain HTTP: organize, sign up, confirm, submit.

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
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

# Pages and endpoints the flows use (relative to the site's base URL).
SIGNUP_PATH = "/account/signup"
LOGIN_PATH = "/account/login"
CONFIRM_LINK = re.compile(r"https?://[^\s\"'<>]+/account/confirm/[^\s\"'<>]+")
SUBMIT_PATH = "/{slug}/submit"
MY_SUBMISSIONS_PATH = "/{slug}/me/"

NEW_EVENT_PATH = "/orga/events/new"
SESSION_TYPES_PATH = "/orga/{slug}/session-types"
# What <input type="datetime-local"> sends: local wall time in the event's zone, no offset.
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


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
    # Every control's name, unticked checkboxes included (they send nothing, so are no field).
    controls: set[str] = field(default_factory=set)


class _FormParser(HTMLParser):
    """Collect every form's action, method, inputs, textareas and select options.

    A control belongs to the form it sits in, or to the one its ``form="id"`` attribute names.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._ids: dict[str, Form] = {}
        self._open: Form | None = None
        self._select: tuple[Form, str] | None = None
        self._textarea: tuple[Form, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._open = Form(action=a.get("action", ""), method=a.get("method", "get"))
            self.forms.append(self._open)
            if a.get("id"):
                self._ids[a["id"]] = self._open
            return
        if tag == "option" and self._select:
            form, name = self._select
            value = a.get("value", "")
            form.options[name].append(value)
            if "selected" in a or name not in form.fields:
                form.fields[name] = value
            return
        form = self._ids.get(a["form"]) if a.get("form") else self._open
        name = a.get("name", "")
        if form is None or not name:
            return
        if tag in {"input", "textarea", "select"}:
            form.controls.add(name)
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    form.fields[name] = a.get("value", "on")
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                form.fields[name] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = (form, name)
            form.fields[name] = ""
        elif tag == "select":
            self._select = (form, name)
            form.options[name] = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            form, name = self._textarea
            form.fields[name] += data


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
            if f.method.lower() == "post" and (needs is None or needs in f.controls)
        ]
        assert forms, f"no POST form{' with ' + needs if needs else ''} on {page.url}"
        form = forms[0]
        unknown = sorted(set(values) - form.controls)
        assert not unknown, f"{page.url} has no fields {unknown}; it has {sorted(form.controls)}"
        return self.request(urllib.parse.urljoin(page.url, form.action), {**form.fields, **values})


def create_event(browser: Browser, *, slug: str, name: str, time_zone: str) -> Page:
    """As a logged-in administrator: a public event two months ahead whose CfP is open now
    (opened yesterday, closes in 30 days; both entered in the event's ``time_zone``)."""
    now = datetime.now(ZoneInfo(time_zone))
    return browser.submit(
        NEW_EVENT_PATH,
        {
            "slug": slug,
            "name": name,
            "time_zone": time_zone,
            "start_date": (now + timedelta(days=60)).date().isoformat(),
            "end_date": (now + timedelta(days=61)).date().isoformat(),
            "cfp_opens_at": (now - timedelta(days=1)).strftime(LOCAL_FORMAT),
            "cfp_closes_at": (now + timedelta(days=30)).strftime(LOCAL_FORMAT),
            "is_public": "y",
        },
        needs="slug",
    )


def add_session_type(browser: Browser, *, slug: str, name: str, minutes: int) -> Page:
    """As the event's organizer: add a session type with its default duration in minutes."""
    return browser.submit(
        SESSION_TYPES_PATH.format(slug=slug),
        {"name": name, "default_duration_minutes": str(minutes)},
        needs="default_duration_minutes",
    )


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
