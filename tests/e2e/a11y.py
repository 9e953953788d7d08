"""Accessibility checks run in the browser: axe-core rules, one ``h1``, keyboard-only forms.

axe-core comes from npm (``scripts/ensure-browser.sh`` installs it under ``.cache/e2e``). It is
evaluated through the DevTools protocol rather than added as a ``<script>`` tag, because
Podium's Content Security Policy rightly forbids inline script.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from playwright.sync_api import Locator, Page

REPO = Path(__file__).resolve().parents[2]
AXE_PATH = REPO / ".cache" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"

# The rules the journey asserts: every form control has a label (inputs, selects, buttons),
# the page has a level-one heading, text contrast meets WCAG 2 AA.
ASSERTED_RULES: tuple[str, ...] = (
    "label",
    "select-name",
    "button-name",
    "page-has-heading-one",
    "color-contrast",
)
# Everything else in WCAG 2.0/2.1 A and AA is run too and reported, not asserted.
REPORTED_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


@dataclass
class PageReport:
    """What axe and the heading count said about one page (``name`` is the screenshot name)."""

    name: str
    url: str
    h1_count: int
    asserted: list[dict[str, Any]] = field(default_factory=list)
    other: list[dict[str, Any]] = field(default_factory=list)
    horizontal_overflow_px: int = 0
    console: list[str] = field(default_factory=list)


# Every report of the session, in order; conftest writes them to a11y-report.json.
REPORTS: list[PageReport] = []
# Console errors and uncaught exceptions per page (conftest listens on every page it opens).
PAGE_PROBLEMS: WeakKeyDictionary[Page, list[str]] = WeakKeyDictionary()


def watch_page(page: Page) -> None:
    """Record the page's console errors (CSP violations among them), uncaught errors and
    failed requests (HTTP 4xx/5xx, e.g. a missing stylesheet or script)."""
    problems = PAGE_PROBLEMS.setdefault(page, [])
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )


def _summarise(violation: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": violation["id"],
        "impact": violation.get("impact"),
        "help": violation["help"],
        "nodes": [
            {"target": node["target"], "summary": node.get("failureSummary", "")}
            for node in violation["nodes"][:10]
        ],
    }


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on ``page``; return its violations (asserted rules and WCAG A/AA tags)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    return page.evaluate(
        """async ([rules, tags]) => {
            const byTag = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            const byRule = await axe.run(document, {
                runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']});
            const seen = new Set(byRule.violations.map(v => v.id));
            return byRule.violations.concat(byTag.violations.filter(v => !seen.has(v.id)));
        }""",
        [list(ASSERTED_RULES), list(REPORTED_TAGS)],
    )


def check_page(page: Page, name: str) -> PageReport:
    """Check the page as it is now; record the result; fail on an asserted rule.

    Raises:
        AssertionError: not exactly one ``h1``, a violation of :data:`ASSERTED_RULES` (the
            message names the rule and the offending elements), or, since the page was opened,
            a Content Security Policy violation, a script error or a failed request (4xx/5xx).
    """
    violations = run_axe(page)
    report = PageReport(
        name=name,
        url=page.url,
        h1_count=page.locator("h1").count(),
        asserted=[_summarise(v) for v in violations if v["id"] in ASSERTED_RULES],
        other=[_summarise(v) for v in violations if v["id"] not in ASSERTED_RULES],
        horizontal_overflow_px=horizontal_overflow(page),
        console=list(PAGE_PROBLEMS.get(page, [])),
    )
    REPORTS.append(report)
    assert report.h1_count == 1, f"{name} ({page.url}) has {report.h1_count} h1 elements, not 1"
    assert not report.asserted, f"{name} ({page.url}) axe violations:\n" + json.dumps(
        report.asserted, indent=2
    )
    blocking = [
        line
        for line in report.console
        if "Content Security Policy" in line or line.startswith(("uncaught", "HTTP "))
    ]
    assert not blocking, f"{name} ({page.url}) console errors:\n" + "\n".join(blocking)
    return report


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing sticks out)."""
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def _is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def _in_focused_radio_group(target: Locator) -> bool:
    return bool(
        target.evaluate(
            """el => el.type === 'radio' && document.activeElement !== null
                && document.activeElement.type === 'radio'
                && document.activeElement.name === el.name
                && document.activeElement.form === el.form"""
        )
    )


def tab_to(page: Page, target: Locator, max_presses: int = 80) -> None:
    """Press Tab until ``target`` (or, for a radio button, its group) has the focus.

    A radio group is one tab stop, entered at its checked (or first) button, so reaching the
    group is what a keyboard user can do; the arrow keys then pick the button.

    Raises:
        AssertionError: ``target`` was not reached in ``max_presses`` presses (it is not in
            the tab order, or is hidden).
    """
    for _ in range(max_presses):
        if _is_focused(target) or _in_focused_radio_group(target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} is not reachable with the Tab key")


def _type_into_focused(page: Page, target: Locator, value: str | bool) -> None:
    kind = target.evaluate(
        "el => el.tagName === 'SELECT' ? 'select' : (el.type || el.tagName).toLowerCase()"
    )
    if kind == "radio":
        for _ in range(20):
            if target.is_checked():
                return
            page.keyboard.press("Space" if _is_focused(target) else "ArrowDown")
        raise AssertionError(f"{target} cannot be chosen with the arrow keys")
    if kind == "checkbox":
        if bool(value) != target.is_checked():
            page.keyboard.press("Space")
        return
    if kind == "select":
        _choose_option_by_keyboard(page, target, str(value))
        return
    if kind == "time":
        _type_time(page, str(value))
        assert target.input_value() == value, (
            f"typed {value!r}, {target} holds {target.input_value()!r}"
        )
        return
    if kind in ("date", "datetime-local"):
        _type_date(page, str(value), with_time=kind == "datetime-local")
        assert target.input_value() == value, (
            f"typed {value!r}, {target} holds {target.input_value()!r}"
        )
        return
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Delete")
    page.keyboard.type(str(value))


def _type_date(page: Page, value: str, *, with_time: bool) -> None:
    """Type an ISO date (``YYYY-MM-DD``) or local date-time (``YYYY-MM-DDTHH:MM``) into the
    focused field's segments, in the en-US order the browser is started with (``--lang``):
    month, day, year, then hour (12-hour), minute, AM/PM. The year segment takes up to six
    digits, so the arrow key moves on to the hour.
    """
    moment = datetime.fromisoformat(value)
    page.keyboard.type(moment.strftime("%m%d%Y"))
    if with_time:
        page.keyboard.press("ArrowRight")
        page.keyboard.type(moment.strftime("%I%M"))
        page.keyboard.press("A" if moment.hour < 12 else "P")


def _type_time(page: Page, value: str) -> None:
    """Type ``HH:MM`` into the focused time field's segments (en-US: 12-hour, then AM/PM)."""
    hour, minute = (int(part) for part in value.split(":"))
    page.keyboard.type(f"{(hour % 12) or 12:02d}{minute:02d}")
    page.keyboard.press("A" if hour < 12 else "P")


def _choose_option_by_keyboard(page: Page, select: Locator, label: str) -> None:
    labels: list[str] = select.evaluate("el => Array.from(el.options, o => o.label.trim())")
    assert label in labels, f"{select} has no option {label!r} (options: {labels})"
    page.keyboard.press("Home")
    for _ in range(len(labels)):
        if select.evaluate("el => el.options[el.selectedIndex].label.trim()") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {label!r} of {select} cannot be chosen with the arrow keys")


def press_by_keyboard(page: Page, button: Locator) -> None:
    """Tab to ``button`` (or link) and press Enter; return once the next page has loaded."""
    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def fill_by_keyboard(
    page: Page, fields: Sequence[tuple[Locator, str | bool]], submit: Locator | None
) -> None:
    """Fill ``fields`` and press ``submit`` with Tab, typing, Space, arrows and Enter only.

    Call it on a freshly loaded page so focus starts at the top and the tab order itself is
    tested. Text fields are cleared first; checkboxes take a bool; selects take an option's label;
    a radio button takes ``True`` (it is chosen with the arrow keys); date and date-time fields
    take ISO values (``2027-02-08``, ``2027-02-08T10:30``), time fields ``HH:MM``. Returns once
    the page the form submission leads to has loaded (``submit=None`` fills without submitting).
    """
    for target, value in fields:
        tab_to(page, target)
        _type_into_focused(page, target, value)
    if submit is not None:
        press_by_keyboard(page, submit)
