"""The ``podium`` command: a Flask CLI group with Podium's operator commands.

Feature packages add commands through ``register_cli(group)`` functions listed in
``podium.CLI_MODULES``.
"""

from __future__ import annotations

import secrets
import smtplib
import ssl
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, routes_command, shell_command, with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.serving import run_simple

from podium import CLI_MODULES, create_app
from podium.config import ConfigError, ensure_writable_dir
from podium.database import check_migrations_current, check_reachable, init_migrations
from podium.extensions import db

DEMO_ADMIN_EMAIL = "admin@example.org"
MIGRATIONS_COMMAND = "db"  # Flask-Migrate's group: podium db upgrade / migrate / current ...


def _app_factory() -> Flask:
    try:
        app = create_app()
    except ConfigError as exc:
        click.echo(f"podium: {exc}", err=True)
        sys.exit(2)
    return app


class PodiumGroup(FlaskGroup):
    """The ``podium`` group: a command that fails on a missing or outdated database says so.

    Without this, ``podium mail list`` run in the wrong folder (a new, empty SQLite file under
    ``./instance``) or against a server that does not answer ends in a SQLAlchemy traceback.
    """

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        # Flask-Migrate, and with it Alembic (about 10 MB), only for `podium db ...`: the mail
        # worker runs for days and needs neither.
        if name == MIGRATIONS_COMMAND:
            app = ctx.ensure_object(ScriptInfo).load_app()
            if "migrate" not in app.extensions:
                init_migrations(app)
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), MIGRATIONS_COMMAND})

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (SQLAlchemyError, OSError) as exc:
            problems = _problems_behind(ctx, exc)
            if not problems:
                raise
            for problem in problems:
                click.echo(f"podium: {problem}", err=True)
            sys.exit(2)


def _problems_behind(ctx: click.Context, exc: BaseException) -> list[str]:
    """The database problems that explain ``exc``, each naming DATABASE_URL; [] if none.

    Only an unreachable database or a missing table counts: any other error (a failing
    migration, a constraint) keeps its traceback, which says more than a diagnosis would.
    """
    if isinstance(exc, OSError) and not isinstance(exc.__cause__, SQLAlchemyError):
        return []
    missing_table = any(
        marker in str(exc) for marker in ("no such table", "UndefinedTable", "does not exist")
    )
    try:
        app = ctx.ensure_object(ScriptInfo).load_app()
        with app.app_context():
            problems = _database_problems()
            rows = current_app.config["PODIUM_CONFIG"].masked()
    except Exception:  # the original error is more useful than one from the diagnosis
        return []
    if not problems or (not missing_table and "cannot connect" not in problems[0]):
        return []
    shown, source = next((shown, source) for name, shown, source in rows if name == "DATABASE_URL")
    return [f"{problem} (DATABASE_URL is {shown}, from {source})" for problem in problems]


# load_dotenv=False: Podium reads .env itself (PODIUM_ENV_FILE, below the environment). Flask's
# own loader would copy ./.env, a parent folder's .env and .flaskenv into the environment first,
# ignoring PODIUM_ENV_FILE and reporting those values as "environment" in `podium config`.
@click.group(
    cls=PodiumGroup, create_app=_app_factory, add_default_commands=False, load_dotenv=False
)
def cli() -> None:
    """Podium: conference CfP, review, schedule and program."""


cli.add_command(shell_command)
cli.add_command(routes_command)


@cli.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--reload/--no-reload", default=False, help="Restart on code changes.")
@with_appcontext
def run_command(host: str, port: int, reload: bool) -> None:
    """Serve Podium with the development server after checking the database."""
    problems = _database_problems()
    if problems:
        for problem in problems:
            click.echo(f"podium: {problem}", err=True)
        sys.exit(2)
    follow_served_address(current_app, host=host, port=port)
    click.echo(
        _(
            "Podium is running on http://%(host)s:%(port)s/ (Ctrl+C stops it)",
            host=host,
            port=port,
        )
    )
    # Flask refuses app.run() inside its own CLI, so call Werkzeug's server directly.
    run_simple(host, port, current_app._get_current_object(), use_reloader=reload, threaded=True)


def follow_served_address(app: Flask, *, host: str, port: int) -> None:
    """Point a default ``BASE_URL`` at the address ``podium run`` serves on.

    ``make run PORT=5123`` would otherwise mail links to (and export URLs under) port 5000. A
    ``BASE_URL`` set anywhere (instance file, .env, environment) is left alone.
    """
    if app.config["PODIUM_CONFIG"].sources["BASE_URL"] != "default":
        return
    # A wildcard listen address is no address to link to; loopback reaches the same server
    # (S104: the address is only compared here, never bound).
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    app.config["BASE_URL"] = f"http://{shown_host}:{port}"


@cli.command("config")
@with_appcontext
def config_command() -> None:
    """Print the effective configuration and where each value came from (secrets masked)."""
    loaded = current_app.config["PODIUM_CONFIG"]
    click.echo(f"instance folder: {loaded.instance_path}")
    rows = loaded.masked()
    width = max(len(name) for name, _, _ in rows)
    for name, value, source in rows:
        click.echo(f"{name:<{width}}  {value}  [{source}]")


def _database_problems() -> list[str]:
    problem = check_reachable(db.engine)
    if problem:
        return [f"database: cannot connect ({problem}); check DATABASE_URL"]
    problem = check_migrations_current(db.engine, current_app.config["MIGRATIONS_DIR"])
    return [f"database: {problem}"] if problem else []


def _folder_problems() -> list[str]:
    problems = []
    for setting, path in (
        ("PODIUM_INSTANCE_PATH", current_app.instance_path),
        ("PODIUM_UPLOAD_FOLDER", current_app.config["UPLOAD_FOLDER"]),
    ):
        try:
            ensure_writable_dir(Path(path), setting, "fix its permissions or choose another")
        except ConfigError as exc:
            problems.append(f"folders: {exc}")
    return problems


def _smtp_problem() -> str | None:
    """Open a real SMTP session as the mail worker would (connect, EHLO, STARTTLS, login).

    ``None`` when it works or no server is configured; otherwise one line naming the setting
    to fix: ``PODIUM_SMTP_SECURITY`` for a TLS failure (no STARTTLS offered, handshake or
    certificate refused), host and port when the server cannot be reached.
    """
    from podium.mail.sending import DeliveryError, SmtpConnection, SmtpSettings

    config = current_app.config
    if not config["SMTP_HOST"]:
        return None
    settings = SmtpSettings.from_config(config)
    try:
        with SmtpConnection(settings):
            pass
    except DeliveryError as error:
        return _describe_smtp_failure(settings, error)
    return None


def _describe_smtp_failure(settings: Any, error: BaseException) -> str:
    cause = error.__cause__
    if isinstance(cause, ssl.SSLError | smtplib.SMTPNotSupportedError):
        reason = (
            "the server does not offer STARTTLS"
            if isinstance(cause, smtplib.SMTPNotSupportedError)
            else f"TLS failed: {getattr(cause, 'reason', None) or cause}"
        )
        return (
            f"mail: {reason} (SMTP server {settings.address}); check PODIUM_SMTP_SECURITY "
            f"(now {settings.security!r}; one of none, starttls, tls)"
        )
    if isinstance(cause, smtplib.SMTPAuthenticationError):
        return f"mail: {error}"
    reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(error)
    return (
        f"mail: cannot reach SMTP server {settings.address} ({reason}); check PODIUM_SMTP_HOST "
        "and PODIUM_SMTP_PORT, or unset PODIUM_SMTP_HOST to keep mail in the outbox"
    )


def _mail_report() -> list[str]:
    """Lines about the outbox: counts per state, the last error, and the no-sender trap.

    A ``WARN`` line when mail is waiting to be sent (queued or sending) and no SMTP server is
    configured: without ``PODIUM_SMTP_HOST`` it stays in the outbox forever (pretalx#692).
    """
    from podium.mail.models import OutboxMail

    counts = dict(
        db.session.execute(
            select(OutboxMail.state, func.count(OutboxMail.id)).group_by(OutboxMail.state)
        ).all()
    )
    waiting = counts.get("queued", 0) + counts.get("sending", 0)
    line = (
        f"mail: {waiting} queued, {counts.get('held', 0)} held, {counts.get('failed', 0)} failed,"
        f" {counts.get('sent', 0)} sent"
    )
    if counts.get("failed"):
        last = db.session.scalar(
            select(OutboxMail.last_error)
            .where(OutboxMail.state == "failed")
            .order_by(OutboxMail.id.desc())
            .limit(1)
        )
        line += f"; last error: {last or 'not recorded'}"
    lines = [line]
    if waiting and not current_app.config["SMTP_HOST"]:
        lines.append(
            f"WARN mail: {waiting} mail(s) waiting but no sender is configured; they will never "
            "leave the outbox: set PODIUM_SMTP_HOST (and PODIUM_SMTP_PORT, PODIUM_SMTP_SECURITY)"
        )
    return lines


@cli.command("check")
@with_appcontext
def check_command() -> None:
    """Check database, migrations, folders and SMTP; exit 1 if anything fails.

    Then print the outbox's counts (queued, held, failed with the last error, sent) and warn
    when mail is waiting with no SMTP server configured.
    """
    problems = _database_problems() + _folder_problems()
    smtp = _smtp_problem()
    if smtp:
        problems.append(smtp)
    for problem in problems:
        click.echo(f"FAIL {problem}", err=True)
    if problems:
        sys.exit(1)
    config = current_app.config
    mail = (
        f"SMTP {config['SMTP_HOST']}:{config['SMTP_PORT']}"
        if config["SMTP_HOST"]
        else ("no SMTP server: mail is kept in the outbox")
    )
    click.echo(f"OK database, migrations, folders; {mail}")
    for line in _mail_report():
        click.echo(line, err=line.startswith("WARN"))


def _ensure_admin(email: str, password: str, name: str) -> bool:
    """Create or promote the administrator ``email``; True if a new account was created."""
    from podium.accounts.models import User
    from podium.accounts.passwords import hash_password
    from podium.db import utcnow

    user = db.session.scalar(select(User).where(User.email == email.lower()))
    created = user is None
    if user is None:
        user = User(email=email.lower(), name=name, security_stamp=secrets.token_hex(16))
        db.session.add(user)
    user.password_hash = hash_password(password)
    user.is_admin = True
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    db.session.commit()
    return created


@cli.command("create-admin")
@click.option("--email", prompt=True, help="The administrator's e-mail address.")
@click.option("--name", default="Administrator", show_default=True)
@click.option(
    "--password-file",
    type=click.File("r"),
    help="Read the password from this file (use - for standard input) instead of prompting.",
)
@with_appcontext
def create_admin_command(email: str, name: str, password_file) -> None:  # type: ignore[no-untyped-def]
    """Create a site administrator, or reset an existing account's password and make it admin."""
    from email_validator import EmailNotValidError, validate_email

    from podium.accounts.passwords import MIN_PASSWORD_LENGTH

    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc), param_hint="--email") from None
    if password_file is not None:
        password = password_file.read().strip()
    else:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(
            _("must be at least %(n)s characters", n=MIN_PASSWORD_LENGTH), param_hint="password"
        )
    created = _ensure_admin(email, password, name)
    if created:
        click.echo(_("Created administrator %(email)s", email=email))
    else:
        click.echo(_("Updated administrator %(email)s", email=email))


@cli.command("demo")
@click.option("--host", default=None, help="Address `podium run` will serve on (for links).")
@click.option("--port", default=None, type=int, help="Port `podium run` will serve on.")
@with_appcontext
def demo_command(host: str | None, port: int | None) -> None:
    """Set up the demo: an administrator (credentials printed) and the demo conference.

    With ``--host``/``--port`` (``make run`` passes its own), a default ``BASE_URL`` follows
    them as ``podium run`` does, so the demo's release and the printed links use the address
    that will be served.
    """
    if host is not None or port is not None:
        follow_served_address(current_app, host=host or "127.0.0.1", port=port or 5000)
    password_path = Path(current_app.instance_path) / "demo-admin-password.txt"
    if password_path.exists():
        password = password_path.read_text(encoding="utf-8").strip()
    else:
        password = secrets.token_urlsafe(12)
        password_path.write_text(password + "\n", encoding="utf-8")
        password_path.chmod(0o600)
    _ensure_admin(DEMO_ADMIN_EMAIL, password, "Demo Administrator")
    try:
        demo = import_module("podium.exchange.demo")
    except ModuleNotFoundError:
        demo = None
    if demo is not None:
        click.echo(demo.load_demo_event())
    click.echo(
        _(
            "Demo administrator: %(email)s / password: %(password)s",
            email=DEMO_ADMIN_EMAIL,
            password=password,
        )
    )
    if demo is not None:
        base = current_app.config["BASE_URL"].rstrip("/")
        dashboard = f"{base}/orga/{demo.DEMO_EVENT_SLUG}/"
        click.echo(
            _(
                "Next: open %(url)s (the demo event's organizer dashboard) and log in",
                url=dashboard,
            )
        )


def _register_feature_commands() -> None:
    for module_name in CLI_MODULES:
        import_module(module_name).register_cli(cli)


_register_feature_commands()


def main() -> None:
    """Entry point of the ``podium`` console script."""
    cli.main(prog_name="podium")
