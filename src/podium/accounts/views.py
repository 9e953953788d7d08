"""Account pages: sign-up, confirmation, login/logout, password reset, profile, dashboard.

Links from e-mails (confirmation, reset) open a page with a button: the state change is the
POST behind it, so a mail scanner fetching the link cannot use up a single-use token.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user

from podium.accounts import queries, services
from podium.accounts.forms import (
    EmptyForm,
    LoginForm,
    PasswordForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignUpForm,
)
from podium.accounts.tokens import TokenError
from podium.cfp.enums import STATE_LABELS
from podium.events.enums import ROLE_LABELS
from podium.extensions import limiter
from podium.i18n.dates import current_language
from podium.mail.caps import canonical_address
from podium.review.queries import DECIDED_STATES, speaker_state, unannounced_decisions
from podium.security import safe_next_path

bp = Blueprint("accounts", __name__, url_prefix="/account", template_folder="templates")


def _limit(setting: str, **options):  # type: ignore[no-untyped-def]
    """Limit POSTs by the setting named ``setting`` (see podium.config: PODIUM_<setting>).

    The value is read per request, so each app (and each test) uses its own; it was checked
    when the app started.
    """

    def provider() -> str:
        return str(current_app.config[setting])

    return limiter.limit(provider, methods=["POST"], **options)


def _reset_address_key() -> str:
    # A second limit per target address stops one person flooding someone's inbox from many IPs.
    # Counted in canonical form, so the address with a full-width "e" (U+FF45) shares the bucket.
    return "reset:" + canonical_address(request.form.get("email", ""))


def _label(labels: dict[str, object], value: str) -> str:
    """``value``'s label in the request's language (the value itself when it has none)."""
    return str(labels.get(value, value))


# Session key: where a new account goes after confirming its address (see signup).
_AFTER_CONFIRM = "after_confirm"


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: an open redirect after login would help phishing."""
    return safe_next_path(target)


def _start_session(user) -> None:  # type: ignore[no-untyped-def]
    # A fresh session on every login: nothing an attacker planted before survives it.
    session.clear()
    # Never the current_user proxy itself: Flask-Login would store the proxy as the request's
    # user, and the next current_user (the language of a flash message) would recurse.
    login_user(getattr(user, "_get_current_object", lambda: user)())


def _form_status() -> int:
    # A form shown again after a POST is a refused submission: say so with 400.
    return 400 if request.method == "POST" else 200


@bp.route("/signup", methods=["GET", "POST"])
@_limit("SIGNUP_RATE_LIMIT")
def signup():  # type: ignore[no-untyped-def]
    """Create an account; the answer is the same whether or not the address is known."""
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            services.sign_up(
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                language=current_language(),
            )
        except services.AccountError as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            flash(
                _(
                    "We have sent a confirmation link to %(address)s. "
                    "Open it to activate your account, then log in.",
                    address=form.email.data.strip(),
                ),
                "success",
            )
            # Someone sent here from a CfP or an invitation link should land back there: keep
            # the target through login now and through the confirmation link in this browser.
            target = _safe_next(request.args.get("next"))
            if target:
                session[_AFTER_CONFIRM] = target
            return redirect(url_for("accounts.login", next=target))
    return render_template("accounts/signup.html", form=form), _form_status()


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):  # type: ignore[no-untyped-def]
    """Show a "Confirm" button for a confirmation link; POST confirms the address."""
    form = EmptyForm()
    if request.method == "GET":
        try:
            email = services.check_confirmation_token(token=token)
        except TokenError as exc:
            return render_template("accounts/link_error.html", message=str(exc)), 400
        return render_template("accounts/confirm.html", form=form, token=token, email=email)
    if not form.validate_on_submit():
        abort(400, _("The form expired; open the link from the mail again."))
    try:
        user = services.confirm_email(token=token)
    except (TokenError, services.AccountError) as exc:
        return render_template("accounts/link_error.html", message=str(exc)), 400
    flash(_("Your address %(address)s is confirmed.", address=user.email), "success")
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    return redirect(url_for("accounts.login", next=_safe_next(session.pop(_AFTER_CONFIRM, None))))


@bp.route("/login", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")
def login():  # type: ignore[no-untyped-def]
    """Log in with address and password, then go back to ``?next=`` or the dashboard."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.log_in(email=form.email.data, password=form.password.data)
        except services.AccountError as exc:
            flash(str(exc), "error")
        else:
            _start_session(user)
            target = _safe_next(request.args.get("next"))
            return redirect(target or url_for("accounts.dashboard"))
    elif request.method == "GET" and current_user.is_authenticated:
        return redirect(url_for("accounts.dashboard"))
    return render_template("accounts/login.html", form=form), _form_status()


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    """End the session (POST with CSRF token, so another site cannot log people out).

    A copied session cookie must not outlive the logout, so all sessions end (see
    ``services.log_out_everywhere``).
    """
    if current_user.is_authenticated:
        services.log_out_everywhere(user=current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are logged out on all your devices."), "success")
    return redirect(url_for("home.index"))


@bp.route("/reset", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
@_limit("RESET_PER_ADDRESS_RATE_LIMIT", key_func=_reset_address_key)
def reset_request():  # type: ignore[no-untyped-def]
    """Ask for a reset link; the page after it never tells whether the address exists."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(email=form.email.data)
        return render_template("accounts/reset_requested.html")
    return render_template("accounts/reset_request.html", form=form), _form_status()


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):  # type: ignore[no-untyped-def]
    """Choose a new password through a reset link; every other session ends."""
    form = ResetPasswordForm()
    try:
        services.check_reset_token(token=token)
    except TokenError as exc:
        return render_template("accounts/link_error.html", message=str(exc)), 400
    if form.validate_on_submit():
        try:
            services.reset_password(token=token, password=form.password.data)
        except TokenError as exc:
            return render_template("accounts/link_error.html", message=str(exc)), 400
        logout_user()
        session.clear()
        flash(_("Your password has been changed. Log in with the new one."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), _form_status()


@bp.get("/")
@login_required
def dashboard():  # type: ignore[no-untyped-def]
    """The user's events (team roles) and submissions."""
    submissions = queries.own_submissions(current_user)
    # A decision whose mail is still held reads as "submitted" to its speakers.
    hidden = unannounced_decisions(s.id for s, _ in submissions if s.state in DECIDED_STATES)
    return render_template(
        "accounts/dashboard.html",
        team_events=queries.team_events(current_user),
        submissions=submissions,
        shown_state=lambda s: _label(STATE_LABELS, speaker_state(s.state, s.id in hidden)),
        role_label=lambda role: _label(ROLE_LABELS, role),
    )


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():  # type: ignore[no-untyped-def]
    """Change the display name, the language of pages and mails (at once), or the address
    (confirmed by a link sent to it)."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            result = services.update_profile(
                user=current_user,
                name=form.name.data,
                email=form.email.data,
                language=form.language.data or None,
            )
        except services.AccountError as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            # The language may have changed: the message below is already in the new one.
            refresh()
            if result.pending_email:
                flash(
                    _(
                        "We have sent a confirmation link to %(address)s; your address "
                        "changes once you open it.",
                        address=result.pending_email,
                    ),
                    "success",
                )
            else:
                flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form), _form_status()


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():  # type: ignore[no-untyped-def]
    """Change the password; sessions on other devices end, this one continues."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            user = services.change_password(
                user=current_user,
                current_password=form.current_password.data,
                new_password=form.password.data,
            )
        except services.AccountError as exc:
            form.current_password.errors = [*form.current_password.errors, str(exc)]
        else:
            _start_session(user)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.dashboard"))
    return render_template("accounts/password.html", form=form), _form_status()
