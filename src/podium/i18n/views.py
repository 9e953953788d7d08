"""The language switch shown on every page: a plain form, so it works without JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from podium.extensions import csrf, db
from podium.i18n.locales import LANGUAGE_COOKIE, normalise_language
from podium.security import safe_next_path

bp = Blueprint("i18n", __name__)

ONE_YEAR_SECONDS = 365 * 24 * 3600


@bp.post("/language")
@csrf.exempt
def switch():  # type: ignore[no-untyped-def]
    """Remember the chosen language and go back to the page the form was on.

    Anonymous visitors get a cookie (the public pages carrying this form are cached for
    everyone, so they hold no CSRF token, and a forged switch only changes a cookie). A
    logged-in user's choice is saved on their account, so the form they see carries a CSRF
    token and it is checked here.

    Errors: 400 when ``language`` is not one of :data:`podium.i18n.locales.LANGUAGES` or the
    logged-in user's CSRF token is missing or wrong.
    """
    language = normalise_language(request.form.get("language"))
    if language is None:
        abort(400, description="Choose one of the listed languages.")
    if current_user.is_authenticated:
        try:
            validate_csrf(request.form.get("csrf_token"))
        except (ValidationError, CSRFError):
            abort(400, description="The form has expired; reload the page and choose again.")
        current_user.language = language
        db.session.commit()
    response = redirect(safe_next_path(request.form.get("next")) or "/", code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, language, max_age=ONE_YEAR_SECONDS, samesite="Lax", httponly=True
    )
    return response
