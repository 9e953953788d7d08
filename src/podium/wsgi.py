"""WSGI entry point for gunicorn: ``gunicorn podium.wsgi:app``.

The image's gunicorn settings check configuration and database once in the master before
opening the port (see :mod:`podium.startup`); each worker checks the configuration again, and a
bad setting stops gunicorn with one line instead of failing on the first request.
"""

from podium.startup import create_worker_app

app = create_worker_app()
