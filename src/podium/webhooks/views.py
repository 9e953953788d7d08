"""The organizer's webhook pages: endpoints, their delivery log, "send test" and removal."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from podium.accounts.forms import EmptyForm
from podium.events.models import Event
from podium.extensions import db
from podium.webhooks import queries, services
from podium.webhooks.enums import EVENT_LABELS, STATE_LABELS
from podium.webhooks.forms import EndpointForm
from podium.webhooks.models import WebhookEndpoint
from podium.webhooks.permissions import require_webhook_manager
from podium.webhooks.signing import HEADER

bp = Blueprint("webhooks", __name__, template_folder="templates")


def _event(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404, description=_("There is no event %(slug)s.", slug=repr(slug[:80])))
    require_webhook_manager(event)
    return event


def _endpoint(event: Event, endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.event_id != event.id:
        abort(
            404,
            description=_("There is no webhook endpoint %(id)s in this event.", id=endpoint_id),
        )
    return endpoint


def _render_list(event: Event, form: EndpointForm, status: int = 200):  # type: ignore[no-untyped-def]
    return (
        render_template(
            "webhooks/endpoints.html",
            event=event,
            form=form,
            rows=queries.endpoints_with_counts(event.id),
            labels=EVENT_LABELS,
        ),
        status,
    )


@bp.get("/orga/<slug>/webhooks/")
def list_endpoints(slug: str):  # type: ignore[no-untyped-def]
    """The event's endpoints with delivery counts (three queries) and the form for a new one."""
    event = _event(slug)
    return _render_list(event, EndpointForm(formdata=None))


@bp.post("/orga/<slug>/webhooks/")
def create_endpoint(slug: str):  # type: ignore[no-untyped-def]
    """Register an endpoint; 400 with the form's errors (a refused URL names the field)."""
    event = _event(slug)
    form = EndpointForm()
    if not form.validate():
        return _render_list(event, form, 400)
    try:
        endpoint = services.create_endpoint(
            event=event, url=form.url.data, events=form.events.data, actor=current_user
        )
    except services.EndpointError as error:
        getattr(form, error.field).errors = [str(error)]
        return _render_list(event, form, 400)
    flash(
        _("The endpoint was added. Copy its signing secret into the receiving program."), "success"
    )
    return redirect(url_for("webhooks.show_endpoint", slug=event.slug, endpoint_id=endpoint.id))


@bp.get("/orga/<slug>/webhooks/<int:endpoint_id>")
def show_endpoint(slug: str, endpoint_id: int):  # type: ignore[no-untyped-def]
    """One endpoint: its secret, events and the latest 50 deliveries (status, code, times)."""
    event = _event(slug)
    endpoint = _endpoint(event, endpoint_id)
    return render_template(
        "webhooks/endpoint.html",
        event=event,
        endpoint=endpoint,
        deliveries=queries.delivery_log(endpoint.id),
        labels=EVENT_LABELS,
        state_labels=STATE_LABELS,
        header=HEADER,
        form=EmptyForm(),
    )


@bp.post("/orga/<slug>/webhooks/<int:endpoint_id>/test")
def send_test(slug: str, endpoint_id: int):  # type: ignore[no-untyped-def]
    """Queue a ``ping`` delivery; the worker sends it (the request never waits on it)."""
    event = _event(slug)
    endpoint = _endpoint(event, endpoint_id)
    if not EmptyForm().validate_on_submit():
        abort(400, description=_("The form expired; reload the page and try again."))
    services.queue_test(event=event, endpoint=endpoint)
    flash(
        _("A test delivery is queued; its result appears below once the worker sent it."),
        "success",
    )
    return redirect(url_for("webhooks.show_endpoint", slug=event.slug, endpoint_id=endpoint_id))


@bp.post("/orga/<slug>/webhooks/<int:endpoint_id>/delete")
def delete_endpoint(slug: str, endpoint_id: int):  # type: ignore[no-untyped-def]
    """Remove an endpoint and its delivery log."""
    event = _event(slug)
    endpoint = _endpoint(event, endpoint_id)
    if not EmptyForm().validate_on_submit():
        abort(400, description=_("The form expired; reload the page and try again."))
    services.delete_endpoint(endpoint=endpoint)
    flash(_("The endpoint was removed."), "success")
    return redirect(url_for("webhooks.list_endpoints", slug=event.slug))
