"""Role-by-endpoint permission matrices.

Every feature lists its routes once with the roles allowed to use them; :func:`check_matrix`
requests each route as each role and reports every cell that disagrees, so a forgotten check
(or an over-eager one) shows up as one readable table.

Example::

    users = {"anonymous": None, "speaker": speaker, "organizer": organizer, "admin": admin}
    check_matrix(app, users, [
        Route("GET", f"/orga/{event.slug}/", allowed={"organizer", "admin"}),
        Route("POST", f"/orga/{event.slug}/rooms", data={"name": "A"}, allowed={"organizer"}),
    ])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from werkzeug.test import TestResponse

from podium.accounts.models import User
from tests.support.auth import login


@dataclass(frozen=True)
class Route:
    """One request to try: method, URL, form ``data`` for POSTs, and the roles allowed.

    ``denied_status`` lists what a refused *logged-in* role may get: 403 by default, 404 where
    hiding the object's existence is the intent. Anonymous users must be sent to the login page
    (302 to ``/account/login``) or get 401/403/404.
    """

    method: str
    url: str
    allowed: frozenset[str] | set[str]
    data: Mapping[str, Any] | None = None
    denied_status: tuple[int, ...] = (403,)
    setup: Callable[[], None] | None = field(default=None, compare=False)


def _is_login_redirect(response: TestResponse) -> bool:
    return response.status_code in (301, 302, 303) and "/account/login" in response.headers.get(
        "Location", ""
    )


def _verdict(role: str, route: Route, response: TestResponse) -> str | None:
    code = response.status_code
    if role in route.allowed:
        if code >= 400 or _is_login_redirect(response):
            return f"allowed but got {code} {response.headers.get('Location', '')}".strip()
        return None
    if role == "anonymous":
        if _is_login_redirect(response) or code in (401, 403, 404):
            return None
        return f"anonymous should be refused but got {code}"
    if code in route.denied_status:
        return None
    return f"should be refused with {route.denied_status} but got {code}"


def check_matrix(app: Flask, users: Mapping[str, User | None], routes: Iterable[Route]) -> None:
    """Request every route as every role (fresh client each) and fail listing all mismatches.

    ``users`` maps role names to users (``None`` for anonymous); role names in
    ``Route.allowed`` must be keys of ``users``.
    """
    problems = []
    for route in routes:
        unknown = set(route.allowed) - set(users)
        assert not unknown, f"{route.url}: unknown roles {unknown}"
        for role, user in users.items():
            if route.setup is not None:
                route.setup()
            client = app.test_client()
            if user is not None:
                login(client, user)
            response = client.open(route.url, method=route.method, data=route.data)
            problem = _verdict(role, route, response)
            response.close()
            if problem:
                problems.append(f"{route.method} {route.url} as {role}: {problem}")
    assert not problems, "permission matrix mismatches:\n" + "\n".join(problems)
