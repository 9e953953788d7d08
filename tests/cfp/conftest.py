from __future__ import annotations

import pytest

from tests.events.helpers import ensure_login_endpoint, forget_user_between_requests


@pytest.fixture(autouse=True)
def _request_isolation(request: pytest.FixtureRequest) -> None:
    # Only tests that build an app need this; pure tests stay database-free.
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        ensure_login_endpoint(app)
        forget_user_between_requests(app)
