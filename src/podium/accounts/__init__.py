"""Accounts: users, sign-up, e-mail confirmation, login, password reset, permissions."""
