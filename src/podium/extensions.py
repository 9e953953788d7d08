"""Flask extensions, created unbound so that importing Podium has no side effects.

``create_app`` binds each of them to an application with ``init_app``. Flask-Migrate is not
among them: it pulls in Alembic (about 11 MB per process), which only the command line needs,
so ``podium.database.init_migrations`` binds it there.
"""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from podium.db import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
# Limits are declared on the views that need them (login, password reset); storage comes from
# the RATELIMIT_STORAGE_URL setting so several gunicorn workers can share counters in Redis.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Languages: the locale selector and catalogue folder are given in podium.i18n.setup.
babel = Babel()
