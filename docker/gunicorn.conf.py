"""Gunicorn settings for the Podium image; each can be changed through the environment.

Variables: PODIUM_BIND (default ``0.0.0.0:8000``), GUNICORN_WORKERS (processes, default 2),
GUNICORN_THREADS (threads per process, default 1), GUNICORN_TIMEOUT (seconds a request may take
before its worker is restarted, default 30), GUNICORN_RELOAD (``true`` restarts workers when code
changes: development only), FORWARDED_ALLOW_IPS (addresses gunicorn takes X-Forwarded-Proto
from, default 127.0.0.1; the client's address comes from Podium's PODIUM_PROXY_HOPS, not from
this). GUNICORN_CMD_ARGS is honoured by gunicorn itself.
"""

import os
import subprocess
import sys


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        message = f"gunicorn: {name}={raw!r} is not a whole number; set e.g. {default}"
        raise SystemExit(message) from None


# Inside a container the port is reached through Docker's network, never directly from outside
# unless compose publishes it (on 127.0.0.1 by default).
bind = os.environ.get("PODIUM_BIND", "0.0.0.0:8000")
workers = _int("GUNICORN_WORKERS", 2)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 20
keepalive = 5
reload = os.environ.get("GUNICORN_RELOAD", "").lower() in {"1", "true", "yes", "on"}
# Workers touch a heartbeat file every second; on tmpfs that never stalls on a slow disk or a
# read-only root file system.
worker_tmp_dir = "/dev/shm"  # noqa: S108  tmpfs in every container, not a shared temp folder
# gunicorn 27+ opens a control socket for `gunicornc`, by default under $HOME (/app, read-only
# for podium); older versions ignore the setting.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "/dev/shm/gunicorn.ctl")  # noqa: S108  per-container tmpfs
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

if reload:
    # gunicorn watches the Python modules it imported; Jinja caches templates, so a template
    # change must restart the worker too. Files added later need a restart of the container.
    from importlib.util import find_spec
    from pathlib import Path

    _spec = find_spec("podium")
    _package_dirs = list(_spec.submodule_search_locations or []) if _spec else []
    reload_extra_files = [
        str(path)
        for folder in _package_dirs
        for path in Path(folder).rglob("*")
        if path.suffix in {".html", ".txt", ".xml", ".json", ".css", ".js"}
    ]


def on_starting(server):  # type: ignore[no-untyped-def]  # gunicorn's hook signature
    """Check Podium's settings and database once, before the port opens; exit on a problem.

    In a child process, so the master stays small (it never imports Flask); the child prints
    the one-line error itself. Without this a bad setting made every worker exit at boot and
    gunicorn respawn them about once a second, port open and /healthz hanging.
    """
    check = subprocess.run([sys.executable, "-m", "podium.startup"], check=False)
    if check.returncode != 0:
        raise SystemExit(check.returncode)
