"""The organizer's API token page: create (shown once), list with last use, revoke."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from podium.accounts.forms import EmptyForm
from podium.api import services
from podium.api.enums import SCOPE_LABELS
from podium.api.forms import TokenForm
from podium.api.models import ApiToken
from podium.api.permissions import require_token_manager
from podium.events.models import Event
from podium.extensions import db

bp = Blueprint("api_tokens", __name__, template_folder="templates")


def _event(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404, description=f"There is no event {slug[:80]!r}.")
    require_token_manager(event)
    return event


def _render(event: Event, form: TokenForm, *, new_token: str | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.event_id == event.id).order_by(ApiToken.id.desc())
    ).all()
    return (
        render_template(
            "api/tokens.html",
            event=event,
            form=form,
            tokens=tokens,
            new_token=new_token,
            labels=SCOPE_LABELS,
            revoke_form=EmptyForm(),
        ),
        status,
    )


@bp.get("/orga/<slug>/api-tokens/")
def list_tokens(slug: str):  # type: ignore[no-untyped-def]
    """The event's API tokens (two queries) and the form for a new one."""
    event = _event(slug)
    return _render(event, TokenForm(formdata=None))


@bp.post("/orga/<slug>/api-tokens/")
def create_token(slug: str):  # type: ignore[no-untyped-def]
    """Create a token and show it once in the response (201); 400 with the form's errors."""
    event = _event(slug)
    form = TokenForm()
    if not form.validate():
        return _render(event, form, status=400)
    try:
        _, token = services.create_token(
            event=event, name=form.name.data, scopes=form.scopes.data, actor=current_user
        )
    except services.TokenError as error:
        getattr(form, error.field).errors = [str(error)]
        return _render(event, form, status=400)
    return _render(event, TokenForm(formdata=None), new_token=token, status=201)


@bp.post("/orga/<slug>/api-tokens/<int:token_id>/revoke")
def revoke_token(slug: str, token_id: int):  # type: ignore[no-untyped-def]
    """Revoke a token at once; programs using it get 401 from then on."""
    event = _event(slug)
    if not EmptyForm().validate_on_submit():
        abort(400, description=_("The form expired; reload the page and try again."))
    if not services.revoke_token(event=event, token_id=token_id):
        abort(404, description=_("There is no active token %(id)s in this event.", id=token_id))
    flash(_("The token was revoked."), "success")
    return redirect(url_for("api_tokens.list_tokens", slug=event.slug))
