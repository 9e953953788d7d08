"""WSGI entry point for gunicorn: ``gunicorn podium.wsgi:app``.

Configuration is checked here, at start, so a bad setting stops the server with one line
instead of failing on the first request.
"""

from podium.startup import create_checked_app

app = create_checked_app()
