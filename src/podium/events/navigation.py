"""The organizer menu and breadcrumb every organizer and reviewer page gets from the layout.

One registry (:data:`MENU`) lists the menu entries; :func:`organizer_nav` decides, for the
current request, whether the page is an organizer page of an event the user is on the team of,
and builds what ``templates/base.html`` draws: the event's menu (the entries this user may open,
the current one marked) and a breadcrumb ``Dashboard > section > page``.

A page is an organizer page when its URL rule starts with ``/orga/<slug>/`` (organizers) or
``/review/<slug>/`` (reviewers), so pages added later under these prefixes get the menu and the
breadcrumb without any work; a new top-level section needs one :data:`MENU` line. Every other
page (the public program above all) costs no query: the check is on the URL rule first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from podium.events import queries
from podium.events.enums import TeamRole
from podium.events.models import Event
from podium.events.permissions import team_roles


class Audience(StrEnum):
    """Who may open a menu entry's page."""

    ORGANIZER = "organizer"  # the event's organizers and site administrators
    REVIEWER = "reviewer"  # the event's reviewers


@dataclass(frozen=True)
class MenuEntry:
    """One link of the organizer menu: an endpoint taking only ``slug``, its label, its audience."""

    endpoint: str
    label: Any  # a lazy string (English when compared), shown in the reader's language
    audience: Audience


# The menu, in display order. An entry whose endpoint is not installed is left out, so a
# feature can be listed before (or without) its blueprint.
MENU: tuple[MenuEntry, ...] = (
    MenuEntry("events.dashboard", _l("Dashboard"), Audience.ORGANIZER),
    MenuEntry("cfp.orga_submissions", _l("Submissions"), Audience.ORGANIZER),
    MenuEntry("questions.list_questions", _l("Questions"), Audience.ORGANIZER),
    MenuEntry("review.orga_review", _l("Review"), Audience.ORGANIZER),
    MenuEntry("review.auto_assignment", _l("Assignment"), Audience.ORGANIZER),
    MenuEntry("review.ranking", _l("Ranking"), Audience.ORGANIZER),
    MenuEntry("review.decisions", _l("Decisions"), Audience.ORGANIZER),
    MenuEntry("mail.event_outbox", _l("Mail"), Audience.ORGANIZER),
    MenuEntry("schedule.editor", _l("Schedule"), Audience.ORGANIZER),
    MenuEntry("schedule.grid", _l("Visual editor"), Audience.ORGANIZER),
    MenuEntry("schedule.releases", _l("Releases"), Audience.ORGANIZER),
    MenuEntry("availability.orga_overview", _l("Availability"), Audience.ORGANIZER),
    MenuEntry("exchange.import_schedule", _l("Import"), Audience.ORGANIZER),
    MenuEntry("events.team", _l("Team"), Audience.ORGANIZER),
    MenuEntry("events.settings", _l("Settings"), Audience.ORGANIZER),
    MenuEntry("events.tracks", _l("Tracks"), Audience.ORGANIZER),
    MenuEntry("events.rooms", _l("Rooms"), Audience.ORGANIZER),
    MenuEntry("events.session_types", _l("Session types"), Audience.ORGANIZER),
    MenuEntry("agenda.widget_settings", _l("Widget"), Audience.ORGANIZER),
    MenuEntry("api_tokens.list_tokens", _l("API tokens"), Audience.ORGANIZER),
    MenuEntry("webhooks.list_endpoints", _l("Webhooks"), Audience.ORGANIZER),
    MenuEntry("review.list_submissions", _l("My reviews"), Audience.REVIEWER),
)

# URL rule prefixes of team pages, and who they are for.
PAGE_PREFIXES: tuple[tuple[str, Audience], ...] = (
    ("/orga/<slug>/", Audience.ORGANIZER),
    ("/review/<slug>/", Audience.REVIEWER),
)

# Pages under those prefixes that are not team pages: a speaker confirms a session there.
NOT_TEAM_PAGES: frozenset[str] = frozenset({"review.confirm_page", "review.confirm_answer"})

# Breadcrumb labels of pages that are not menu entries; other pages use their <title>'s first
# part (see base.html), so a new page needs no line here.
PAGE_LABELS: dict[str, str] = {
    "schedule.edit_slot": _l("Move slot"),
    "api_tokens.create_token": _l("New token"),
    "webhooks.create_endpoint": _l("New endpoint"),
}


@dataclass(frozen=True)
class MenuLink:
    """A drawn menu entry: ``current`` is ``"page"`` on its own page, ``"true"`` below it."""

    label: Any
    url: str
    current: str | None
    endpoint: str = ""


@dataclass(frozen=True)
class Crumb:
    """One breadcrumb step; the last one (the page itself) has no ``url``."""

    label: Any
    url: str | None


@dataclass(frozen=True)
class OrganizerNav:
    """What the layout draws on a team page: ``links`` (the menu) and ``crumbs`` (root first).

    ``page_label`` is the current page's label when the registry knows it, else ``None`` and
    the layout uses the page title.
    """

    event: Event
    links: tuple[MenuLink, ...]
    crumbs: tuple[Crumb, ...]
    page_label: str | None


def team_page_audience(rule: str | None, endpoint: str | None) -> Audience | None:
    """The audience of the page with URL ``rule`` (a Werkzeug rule string), or ``None``."""
    if rule is None or endpoint in NOT_TEAM_PAGES:
        return None
    for prefix, audience in PAGE_PREFIXES:
        if rule.startswith(prefix):
            return audience
    return None


def visible_entries(*, is_organizer: bool, is_reviewer: bool) -> list[MenuEntry]:
    """The installed :data:`MENU` entries a user with these roles may open, in menu order."""
    allowed = set()
    if is_organizer:
        allowed.add(Audience.ORGANIZER)
    if is_reviewer:
        allowed.add(Audience.REVIEWER)
    installed = current_app.view_functions
    return [e for e in MENU if e.audience in allowed and e.endpoint in installed]


def _under(path: str, url: str) -> bool:
    return path == url or path.startswith(url.rstrip("/") + "/")


def _section(path: str, links: list[tuple[MenuEntry, str]]) -> tuple[MenuEntry, str] | None:
    """The entry whose URL is the longest prefix of ``path``; the dashboard only as itself."""
    best: tuple[MenuEntry, str] | None = None
    for entry, url in links:
        if entry.endpoint == "events.dashboard" and path != url:
            continue  # every organizer URL starts with the dashboard's
        if _under(path, url) and (best is None or len(url) > len(best[1])):
            best = (entry, url)
    return best


def build_nav(
    *, event: Event, entries: list[MenuEntry], endpoint: str, path: str
) -> OrganizerNav | None:
    """The menu and breadcrumb for ``event``'s page ``endpoint`` at URL ``path``.

    ``entries`` are the ones the user may open (:func:`visible_entries`); the breadcrumb's root
    is the first of them (the dashboard for organizers, the review list for reviewers).
    Returns ``None`` when ``entries`` is empty. Runs no query.
    """
    if not entries:
        return None
    links = [(e, url_for(e.endpoint, slug=event.slug)) for e in entries]
    section = _section(path, links)
    drawn = tuple(
        MenuLink(
            label=e.label,
            url=url,
            current=("page" if e.endpoint == endpoint else "true")
            if section is not None and e is section[0]
            else None,
            endpoint=e.endpoint,
        )
        for e, url in links
    )
    root_entry, root_url = links[0]
    crumbs = [Crumb(root_entry.label, root_url)]
    if section is not None and section[0] is not root_entry:
        crumbs.append(Crumb(section[0].label, section[1]))
    on_entry_page = section is not None and section[0].endpoint == endpoint
    page_label = None
    if on_entry_page:
        crumbs[-1] = Crumb(crumbs[-1].label, None)
    else:
        page_label = PAGE_LABELS.get(endpoint)
        crumbs.append(Crumb(page_label or "", None))
    return OrganizerNav(event=event, links=drawn, crumbs=tuple(crumbs), page_label=page_label)


def organizer_nav(event: Any = None) -> OrganizerNav | None:
    """The organizer menu and breadcrumb of the current request, or ``None`` if it has none.

    ``event`` is the template's ``event`` when the view passed one (saves the lookup by slug).
    ``None`` unless the URL rule is a team page (see :data:`PAGE_PREFIXES`) with a ``slug``, the
    event exists and the current user is of the page's audience: organizes the event (site
    administrators do) for ``/orga/`` pages, reviews it for ``/review/`` pages.
    Costs no query on other pages, one (the user's roles) or two (and the event) on team pages.
    """
    rule = request.url_rule
    audience = team_page_audience(rule.rule if rule else None, request.endpoint)
    slug = (request.view_args or {}).get("slug")
    if audience is None or slug is None or not current_user.is_authenticated:
        return None
    if not isinstance(event, Event) or event.slug != slug:
        event = queries.event_by_slug(slug)
        if event is None:
            return None
    roles = team_roles(current_user, event)
    organizes = bool(current_user.is_admin) or TeamRole.ORGANIZER in roles
    reviews = TeamRole.REVIEWER in roles
    # Someone refused the page (a reviewer on an organizer page) gets no menu on the 403.
    if not (organizes if audience is Audience.ORGANIZER else reviews):
        return None
    entries = visible_entries(is_organizer=organizes, is_reviewer=reviews)
    # url_for() includes the script root (an app served under a path prefix): compare alike.
    path = request.script_root + request.path
    return build_nav(event=event, entries=entries, endpoint=request.endpoint, path=path)


def register_navigation(app: Flask) -> None:
    """Expose :func:`organizer_nav` to templates (``base.html`` calls it)."""
    app.add_template_global(organizer_nav, "organizer_nav")
