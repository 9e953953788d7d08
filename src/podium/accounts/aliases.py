"""Short addresses people type: ``/login`` and ``/signup`` lead to the account pages.

Without them ``/login`` falls to the public event rule ``/<slug>/`` and ends in a 404. Only
GET-safe pages get an alias: logging out is a POST with CSRF, so ``/logout`` stays unknown.
"""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from werkzeug.wrappers import Response

bp = Blueprint("account_aliases", __name__)

# alias path -> the endpoint it leads to
ALIASES: dict[str, str] = {"/login": "accounts.login", "/signup": "accounts.signup"}


def _forward(target: str) -> Response:
    """Redirect (302) to ``target``, keeping ``next`` (checked by the login page itself)."""
    following = request.args.get("next")
    return redirect(url_for(target, next=following) if following else url_for(target))


for _path, _target in ALIASES.items():
    bp.add_url_rule(
        _path,
        _target.split(".", 1)[1],
        lambda _target=_target: _forward(_target),
        methods=["GET"],
        strict_slashes=False,
    )
