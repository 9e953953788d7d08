"""Docker HEALTHCHECK for the web container: exit 0 when /healthz says ``{"status": "ok"}``.

Python's standard library only, because the slim image has neither curl nor wget. The port is
taken from PODIUM_BIND (default ``0.0.0.0:8000``), the same variable gunicorn.conf.py reads.
"""

import json
import os
import sys
import urllib.request


def main() -> int:
    """Return 0 if the local web server is alive, 1 otherwise (the reason goes to stdout)."""
    port = os.environ.get("PODIUM_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            body = json.load(response)
    except (OSError, ValueError) as exc:
        print(f"unhealthy: {url}: {exc}")
        return 1
    if body.get("status") != "ok":
        print(f"unhealthy: {url} answered {body!r}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
