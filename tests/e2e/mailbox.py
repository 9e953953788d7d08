"""Reading Podium's outbox from a browser test, the way an operator would without SMTP."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from tests.e2e.server import LiveServer


@dataclass(frozen=True)
class Mail:
    """One outbox mail as the test needs it: recipients, subject, plain-text body."""

    id: int
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


_LIST_LINE = re.compile(
    r"^\s*(?P<id>\d+)\s+(?P<state>\S+)\s+\d+\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+"
    r"(?P<to>.*?) / (?P<subject>.*)$"
)


def _listed(server: LiveServer) -> list[tuple[int, str, str, str]]:
    """``(id, state, recipients, subject)`` of the newest outbox mails via ``podium mail list``."""
    rows = []
    for line in server.cli("mail", "list", "--limit", "500").splitlines():
        match = _LIST_LINE.match(line)
        if match:
            rows.append((int(match["id"]), match["state"], match["to"], match["subject"]))
    return rows


def read_mail(
    server: LiveServer, *, to: str, subject_contains: str, timeout_seconds: float = 10
) -> Mail:
    """The newest outbox mail to ``to`` whose subject contains ``subject_contains``.

    Reads it with ``podium mail list`` and ``podium mail show ID`` (the operator's way to read
    mail when no SMTP server is configured); waits up to ``timeout_seconds`` for it to appear.

    Raises:
        AssertionError: no such mail arrived (the message lists what the outbox holds).
    """
    deadline = time.monotonic() + timeout_seconds
    while True:
        rows = _listed(server)
        for mail_id, _state, recipients, subject in rows:
            if to in recipients.split(", ") and subject_contains in subject:
                shown = server.cli("mail", "show", str(mail_id))
                body = shown.split("\n\n", 1)[1] if "\n\n" in shown else shown
                return Mail(id=mail_id, to=recipients, subject=subject, body=body)
        if time.monotonic() > deadline:
            listing = "\n".join(f"  {r[0]} {r[1]} {r[2]} / {r[3]}" for r in rows) or "  (empty)"
            raise AssertionError(
                f"no mail to {to} with {subject_contains!r} in the subject; outbox:\n{listing}"
            )
        time.sleep(0.2)
