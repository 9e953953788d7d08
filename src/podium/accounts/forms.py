"""Account forms (Flask-WTF, so every one carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from podium.accounts.passwords import MIN_PASSWORD_LENGTH

# Argon2 hashes any length, but a megabyte "password" is a cheap way to burn server time.
MAX_PASSWORD_LENGTH = 1024

_new_password = [
    DataRequired(),
    Length(
        min=MIN_PASSWORD_LENGTH,
        max=MAX_PASSWORD_LENGTH,
        message=f"Use at least {MIN_PASSWORD_LENGTH} characters.",
    ),
]


class SignUpForm(FlaskForm):
    """Name, address and a new password (typed twice)."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=_new_password)
    password_repeat = PasswordField(
        "Password again", validators=[EqualTo("password", message="The passwords differ.")]
    )


class LoginForm(FlaskForm):
    """Address and password."""

    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )


class ResetRequestForm(FlaskForm):
    """The address to send a reset link to."""

    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField("New password", validators=_new_password)
    password_repeat = PasswordField(
        "New password again", validators=[EqualTo("password", message="The passwords differ.")]
    )


class ProfileForm(FlaskForm):
    """Display name and address (a new address is confirmed before it is used)."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])


class PasswordForm(FlaskForm):
    """Current password and the new one, typed twice."""

    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    password = PasswordField("New password", validators=_new_password)
    password_repeat = PasswordField(
        "New password again", validators=[EqualTo("password", message="The passwords differ.")]
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for POST buttons such as "Log out"."""
