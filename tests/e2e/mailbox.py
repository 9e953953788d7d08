"""Reading Podium's outbox in the browser, as an administrator does when no SMTP server is set."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Page, expect

from tests.e2e import a11y


@dataclass(frozen=True)
class Mail:
    """One outbox mail as the test needs it: recipients, subject, plain-text body."""

    to: str
    subject: str
    body: str

    def link(self, path_prefix: str) -> str:
        """The path of the first link in the body whose path starts with ``path_prefix``.

        Raises:
            AssertionError: there is no such link (the message shows the body).
        """
        return self._link_match(path_prefix).group(2)

    def base_url(self) -> str:
        """Scheme and host of the body's first link, e.g. ``http://127.0.0.1:5000``."""
        return self._link_match("/").group(1)

    def _link_match(self, path_prefix: str) -> re.Match[str]:
        pattern = r"(https?://[^/\s]+)(" + re.escape(path_prefix) + r"[^\s<>\"')]*)"
        match = re.search(pattern, self.body)
        assert match, f"no link to {path_prefix}… in mail {self.subject!r}:\n{self.body}"
        return match


class Outbox:
    """The administrator's outbox pages (/mail/outbox), read in a tab of their own."""

    def __init__(self, page: Page) -> None:
        """``page``: a tab whose browser context is logged in as a site administrator."""
        self.page = page
        self._checked = False
        a11y.watch_page(page)

    def read(self, *, to: str, subject_contains: str) -> Mail:
        """Open the newest mail to ``to`` whose subject contains ``subject_contains``.

        Raises:
            AssertionError: the outbox lists no such mail (the message shows the listing).
        """
        page = self.page
        page.goto("/mail/outbox")
        expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
        if not self._checked:
            a11y.check_page(page, "administrator outbox")
        rows = page.get_by_role("row").filter(has_text=to).filter(has_text=subject_contains)
        assert rows.count() > 0, (
            f"no mail to {to} with {subject_contains!r} in the subject; outbox:\n"
            + page.get_by_role("main").inner_text()
        )
        rows.first.get_by_role("link").click()
        expect(page).to_have_url(re.compile(r"/mail/outbox/\d+$"))
        subject = page.get_by_role("heading", level=1).inner_text()
        body = page.locator("pre.mail-body").inner_text()
        if not self._checked:
            a11y.check_page(page, "administrator outbox mail")
            self._checked = True
        return Mail(to=to, subject=subject, body=body)
