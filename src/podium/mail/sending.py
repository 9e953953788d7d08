"""SMTP delivery: building the MIME message of an outbox row and sending it.

Errors are classified and described in words an operator can act on, never as a traceback:

* a *server* problem (cannot connect, timeout, TLS, login refused, connection lost) says nothing
  about the mail itself: the worker keeps the whole batch queued and tries again later;
* a *temporary* mail problem (a 4xx reply) is retried until the attempt limit;
* a *permanent* mail problem (a 5xx reply to the sender, the recipients or the data) fails the
  mail at once.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from enum import StrEnum
from typing import Any

from podium.mail.models import OutboxMail


class FailureKind(StrEnum):
    """How a failed delivery is handled (see the module docstring)."""

    SERVER = "server"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"


class DeliveryError(Exception):
    """A delivery failed; ``str(error)`` is one human-readable line, ``kind`` says what next."""

    def __init__(self, message: str, kind: FailureKind) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect: from the ``SMTP_*`` settings; ``timeout`` in seconds."""

    host: str
    port: int
    security: str = "none"  # none, starttls or tls
    user: str = ""
    password: str = ""
    timeout: float = 10
    sender: str = "Podium <podium@localhost>"

    @classmethod
    def from_config(cls, config: Any) -> SmtpSettings:
        """Build from a Flask ``app.config``."""
        return cls(
            host=config["SMTP_HOST"],
            port=int(config["SMTP_PORT"]),
            security=config["SMTP_SECURITY"],
            user=config["SMTP_USER"],
            password=config["SMTP_PASSWORD"],
            timeout=float(config["SMTP_TIMEOUT"]),
            sender=config["MAIL_FROM"],
        )

    @property
    def address(self) -> str:
        """``host:port`` as shown in messages."""
        return f"{self.host}:{self.port}"


def build_message(mail: OutboxMail, sender: str) -> EmailMessage:
    """The MIME message for ``mail``: text part, HTML alternative if any, stable headers.

    ``Message-ID`` is the row's ``message_id`` (set when queued) and ``Date`` its creation
    time, so a retry is byte-for-byte the same mail and receivers can drop duplicates.
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(mail.recipients)
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = mail.message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies, please
    message.set_content(mail.body_text)
    if mail.body_html:
        message.add_alternative(mail.body_html, subtype="html")
    # After the content: set_content and add_alternative move or drop Content-* headers.
    if getattr(mail, "language", ""):
        message["Content-Language"] = mail.language  # RFC 3282: the language it is written in
    return message


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _kind_for_code(code: int) -> FailureKind:
    return FailureKind.PERMANENT if 500 <= code < 600 else FailureKind.TEMPORARY


def describe_connection_error(exc: BaseException, settings: SmtpSettings) -> DeliveryError:
    """Turn an exception raised while connecting or logging in into a :class:`DeliveryError`."""
    where = settings.address
    if isinstance(exc, ConnectionRefusedError):
        text = f"cannot connect to SMTP server {where}: connection refused"
    elif isinstance(exc, socket.gaierror):
        text = f"cannot connect to SMTP server {where}: host name not found"
    elif isinstance(exc, TimeoutError | socket.timeout):
        text = f"SMTP server {where} did not answer within {settings.timeout:g} seconds"
    elif isinstance(exc, ssl.SSLError):
        reason = exc.reason or str(exc)
        text = f"TLS with SMTP server {where} failed: {reason}"
    elif isinstance(exc, smtplib.SMTPAuthenticationError):
        text = (
            f"SMTP server {where} refused the login of user {settings.user!r}: "
            f"{_reply(exc.smtp_code, exc.smtp_error)}; check PODIUM_SMTP_USER and "
            "PODIUM_SMTP_PASSWORD"
        )
    elif isinstance(exc, smtplib.SMTPNotSupportedError):
        text = (
            f"SMTP server {where} does not support {settings.security.upper()} or login; "
            "check PODIUM_SMTP_SECURITY"
        )
    elif isinstance(exc, smtplib.SMTPServerDisconnected):
        text = f"SMTP server {where} closed the connection unexpectedly"
    elif isinstance(exc, smtplib.SMTPResponseException):
        text = (
            f"SMTP server {where} refused the connection: {_reply(exc.smtp_code, exc.smtp_error)}"
        )
    elif isinstance(exc, OSError):
        reason = (exc.strerror or str(exc) or type(exc).__name__).lower()
        text = f"cannot connect to SMTP server {where}: {reason}"
    else:
        text = f"SMTP server {where}: {type(exc).__name__}: {exc}"
    return DeliveryError(text, FailureKind.SERVER)


def describe_send_error(exc: BaseException, settings: SmtpSettings) -> DeliveryError:
    """Turn an exception raised while sending one message into a :class:`DeliveryError`."""
    where = settings.address
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address} ({_reply(code, text)})" for address, (code, text) in exc.recipients.items()
        )
        codes = [code for code, _ in exc.recipients.values()]
        kind = (
            FailureKind.PERMANENT if all(500 <= c < 600 for c in codes) else FailureKind.TEMPORARY
        )
        return DeliveryError(f"SMTP server {where} refused every recipient: {refused}", kind)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return DeliveryError(
            f"SMTP server {where} refused the sender {exc.sender}: "
            f"{_reply(exc.smtp_code, exc.smtp_error)}; check PODIUM_MAIL_FROM",
            _kind_for_code(exc.smtp_code),
        )
    if isinstance(exc, smtplib.SMTPDataError):
        return DeliveryError(
            f"SMTP server {where} rejected the message: {_reply(exc.smtp_code, exc.smtp_error)}",
            _kind_for_code(exc.smtp_code),
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
        # The server may or may not have taken the message: retrying is safe because the
        # Message-ID is the same, so a receiver can drop the duplicate.
        return DeliveryError(
            f"SMTP server {where} closed the connection while the mail was sent", FailureKind.SERVER
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return DeliveryError(
            f"SMTP server {where} refused the mail: {_reply(exc.smtp_code, exc.smtp_error)}",
            _kind_for_code(exc.smtp_code),
        )
    return DeliveryError(f"SMTP server {where}: {type(exc).__name__}: {exc}", FailureKind.TEMPORARY)


class SmtpConnection:
    """One SMTP session for a batch of mails; use as a context manager.

    Raises:
        DeliveryError: (``SERVER`` kind) from ``__enter__`` when the server cannot be used.
    """

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpConnection:
        settings = self.settings
        try:
            if settings.security == "tls":
                self._smtp = smtplib.SMTP_SSL(
                    settings.host,
                    settings.port,
                    timeout=settings.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                self._smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            self._smtp.ehlo()
            if settings.security == "starttls":
                self._smtp.starttls(context=ssl.create_default_context())
                self._smtp.ehlo()
            if settings.user:
                self._smtp.login(settings.user, settings.password)
        except (OSError, smtplib.SMTPException) as exc:
            self._close()
            raise describe_connection_error(exc, settings) from exc
        return self

    def send(self, mail: OutboxMail) -> str:
        """Send ``mail``; returns ``""`` or a note naming recipients the server refused.

        Raises:
            DeliveryError: the server refused the mail or the connection broke.
        """
        assert self._smtp is not None, "use SmtpConnection as a context manager"
        message = build_message(mail, self.settings.sender)
        try:
            refused = self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise describe_send_error(exc, self.settings) from exc
        if refused:
            return "some recipients were refused: " + "; ".join(
                f"{address} ({_reply(code, text)})" for address, (code, text) in refused.items()
            )
        return ""

    def __exit__(self, *exc_info: object) -> None:
        if self._smtp is not None:
            # The mails are sent; a failed goodbye changes nothing.
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
        self._close()

    def _close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError):
                self._smtp.close()
            self._smtp = None
