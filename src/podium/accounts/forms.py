"""Account forms (Flask-WTF, so every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from podium.accounts.passwords import MIN_PASSWORD_LENGTH
from podium.i18n.locales import LANGUAGES

# Argon2 hashes any length, but a megabyte "password" is a cheap way to burn server time.
MAX_PASSWORD_LENGTH = 1024

_new_password = [
    DataRequired(),
    Length(
        min=MIN_PASSWORD_LENGTH,
        max=MAX_PASSWORD_LENGTH,
        message=_l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
    ),
]


class SignUpForm(FlaskForm):
    """Name, address and a new password (typed twice)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=_new_password)
    password_repeat = PasswordField(
        _l("Password again"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
    )


class LoginForm(FlaskForm):
    """Address and password."""

    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )


class ResetRequestForm(FlaskForm):
    """The address to send a reset link to."""

    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(_l("New password"), validators=_new_password)
    password_repeat = PasswordField(
        _l("New password again"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
    )


class LanguageField(SelectField):
    """A select of interface languages whose empty choice stands for a stored None."""

    def process_data(self, value: object) -> None:
        # SelectField leaves None as None, which matches no choice and fails validation.
        self.data = "" if value is None else str(value)


# The interface languages, each named in its own language, after the "no preference" choice.
LANGUAGE_CHOICES = [
    SelectChoice("", _l("Browser / event default")),
    *(SelectChoice(code, name) for code, name in LANGUAGES.items()),
]


class ProfileForm(FlaskForm):
    """Display name, address (a new address is confirmed before it is used) and the language
    of pages and mails (empty: the browser's, else the event's default)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    language = LanguageField(_l("Language"), choices=LANGUAGE_CHOICES)


class PasswordForm(FlaskForm):
    """Current password and the new one, typed twice."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    password = PasswordField(_l("New password"), validators=_new_password)
    password_repeat = PasswordField(
        _l("New password again"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for POST buttons such as "Log out"."""
