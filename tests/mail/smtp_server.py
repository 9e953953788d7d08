"""A real SMTP server for tests (aiosmtpd on 127.0.0.1) that records what it receives.

It can refuse recipients or data with a chosen reply, and stop *gracefully*: stop listening
(new connections are refused), let sessions in progress finish, then shut down. That is how an
operator stops a mail server; an abrupt kill mid-DATA could make any SMTP client resend a mail
the server already took, which is what the stable Message-ID is for.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, server: RecordingSMTPServer) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        reply = self.server.rcpt_reply(address) if self.server.rcpt_reply else None
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.server.data_reply:
            reply = self.server.data_reply()
            if reply:
                return reply
        if self.server.delay_seconds:
            time.sleep(self.server.delay_seconds)  # blocks the loop on purpose: a slow server
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.server.lock:
            self.server.messages.append(message)  # type: ignore[arg-type]
            self.server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class _TrackingSMTP(SMTP):
    def __init__(self, *args, tracker: RecordingSMTPServer, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._tracker = tracker

    def connection_made(self, transport) -> None:  # type: ignore[no-untyped-def]
        with self._tracker.lock:
            self._tracker.open_sessions += 1
        super().connection_made(transport)

    def connection_lost(self, exc) -> None:  # type: ignore[no-untyped-def]
        with self._tracker.lock:
            self._tracker.open_sessions -= 1
        super().connection_lost(exc)


class _Controller(Controller):
    def __init__(self, *args, tracker: RecordingSMTPServer, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._tracker = tracker
        super().__init__(*args, **kwargs)

    def factory(self) -> SMTP:
        return _TrackingSMTP(self.handler, tracker=self._tracker, **self.SMTP_kwargs)


class RecordingSMTPServer:
    """Start with :meth:`start`; received mails are in ``messages`` (parsed, in order).

    ``rcpt_reply(address)`` / ``data_reply()`` may return an SMTP reply such as
    ``"550 5.1.1 no such user"`` to refuse; ``delay_seconds`` slows every DATA down.
    """

    def __init__(self, port: int | None = None, credentials: tuple[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.credentials = credentials
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()
        self.open_sessions = 0
        self.rcpt_reply: Callable[[str], str | None] | None = None
        self.data_reply: Callable[[], str | None] | None = None
        self.delay_seconds = 0.0
        self._controller: _Controller | None = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        expected = tuple(part.encode() for part in self.credentials or ())
        ok = (
            isinstance(auth_data, LoginPassword)
            and (auth_data.login, auth_data.password) == expected
        )
        return AuthResult(success=ok, handled=False)

    def start(self) -> RecordingSMTPServer:
        # AUTH over plain text is fine on loopback in a test; real servers require TLS first.
        auth = (
            {"authenticator": self._authenticate, "auth_require_tls": False}
            if self.credentials
            else {}
        )
        self._controller = _Controller(
            _Handler(self),
            hostname="127.0.0.1",
            port=self.port,
            server_hostname="localhost",
            tracker=self,
            **auth,
        )
        self._controller.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        """Stop listening, wait for open sessions to end, then shut the server down."""
        controller = self._controller
        if controller is None:
            return
        assert controller.server is not None
        controller.loop.call_soon_threadsafe(controller.server.close)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.open_sessions <= 0:
                    break
            time.sleep(0.01)
        controller.stop()
        self._controller = None

    def received_ids(self) -> list[str]:
        """The Message-ID header of every received mail, in arrival order."""
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]

    def __enter__(self) -> RecordingSMTPServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
