"""One HTTP POST to a webhook endpoint, refusing the operator's own network (no SSRF).

The host is resolved here and every address it has is checked: loopback, private (RFC 1918,
fc00::/7), link-local (169.254/16 with cloud metadata services, fe80::/10), shared, reserved
and unspecified addresses are refused unless ``WEBHOOKS_ALLOW_PRIVATE`` is set. The connection
then goes to the checked address itself (the Host header and TLS name stay the endpoint's
host), so a DNS answer that changes between check and connect cannot slip through. Redirects
are never followed: a 3xx answer is a failed try, so no redirect can lead anywhere private.

Standard library only (``http.client``): one POST with timeouts needs nothing more.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _

USER_AGENT = "Podium-Webhooks/1"
MAX_RESPONSE_BYTES = 64 * 1024  # read (and drop) at most this much of a receiver's answer


class UrlRefused(ValueError):
    """The URL may not receive webhooks (scheme, form or a refused address); permanent."""


class DeliveryFailed(Exception):
    """A try that did not reach a 2xx answer; ``status`` is the HTTP status if one came."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Target:
    """A checked URL: scheme, host (as written), port, path with query, and allowed IPs."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def is_refused_address(address: str) -> bool:
    """True for any address that is not globally routable (loopback, private, link-local,
    shared, reserved, multicast, unspecified), IPv4-mapped IPv6 included."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_url(url: str, *, allow_private: bool) -> Target:
    """Parse ``url``, resolve its host and check every address.

    HTTPS is required; plain HTTP only with ``allow_private`` (local development and tests).

    Raises:
        UrlRefused: with a message for the organizer naming what is wrong.
    """
    if len(url) > 2000:
        raise UrlRefused(_("The URL is longer than 2000 characters."))
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UrlRefused(_("This is not a valid URL.")) from None
    allowed = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed:
        raise UrlRefused(_("The URL must start with https://."))
    if not parts.hostname:
        raise UrlRefused(_("The URL has no host name."))
    if parts.username or parts.password:
        raise UrlRefused(_("Put no user name or password in the URL; the signature authenticates."))
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UrlRefused(
            _("The host name %(host)s cannot be resolved.", host=repr(parts.hostname))
        ) from None
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_private:
        refused = [a for a in addresses if is_refused_address(a)]
        if refused:
            raise UrlRefused(
                _(
                    "%(host)s resolves to %(address)s, a loopback, private or link-local "
                    "address; webhooks only go to public addresses.",
                    host=parts.hostname,
                    address=refused[0],
                )
            )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, parts.hostname, port, path, addresses)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a fixed, already checked address."""

    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a fixed address, verifying the certificate for the host name."""

    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def post(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float, allow_private: bool
) -> int:
    """POST ``body`` to ``url``; return the 2xx status.

    Raises:
        UrlRefused: the URL or its address is refused (do not retry).
        DeliveryFailed: no connection, a timeout, or a non-2xx answer (retry later).
    """
    target = check_url(url, allow_private=allow_private)
    factory = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = factory(target, target.addresses[0], timeout)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "Connection": "close",
            },
        )
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryFailed(
            f"{target.host}:{target.port}: {error or type(error).__name__}"
        ) from None
    finally:
        connection.close()
    if 300 <= status < 400:
        raise DeliveryFailed(f"the endpoint answered {status} (redirects are not followed)", status)
    if not 200 <= status < 300:
        raise DeliveryFailed(f"the endpoint answered {status}", status)
    return status
