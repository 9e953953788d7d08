"""A release's URLs follow the address Podium answers on now, not the one it was published at.

A release snapshot (``ScheduleData.to_dict()``) holds absolute URLs built on ``BASE_URL`` when it
was published: session pages, speaker avatars, ``conference.base_url``. When the address changes
later (``make run PORT=5150`` after ``podium demo`` published at the default port, a new domain),
exports and pages must not keep sending schedule apps to the old one. The release itself stays
as published; its URLs are rewritten when it is loaded, and :func:`base_tag` goes into cache
keys and ETags so that nothing cached under the old address is served again.
"""

from __future__ import annotations

import zlib
from typing import Any

from flask import current_app


def current_base_url() -> str:
    """The ``BASE_URL`` setting without a trailing slash (``""`` when unset)."""
    return str(current_app.config.get("BASE_URL") or "").rstrip("/")


def base_tag() -> str:
    """A short tag of the current ``BASE_URL`` (8 hex digits) for cache keys and ETags."""
    return f"{zlib.crc32(current_base_url().encode()):08x}"


def rebase_snapshot(snapshot: dict[str, Any], base_url: str) -> dict[str, Any]:
    """``snapshot`` with every URL under its publication address moved under ``base_url``.

    The publication address is ``snapshot["conference"]["base_url"]``; a string equal to it or
    starting with it followed by ``/`` is rewritten, anything else (the event's own website,
    links of imported sessions) is kept. Returns ``snapshot`` itself when there is nothing to
    do (no recorded address, or the same one), else a rewritten copy.
    """
    old = str((snapshot.get("conference") or {}).get("base_url") or "").rstrip("/")
    new = base_url.rstrip("/")
    if not old or not new or old == new:
        return snapshot
    prefix = old + "/"

    def move(value: Any) -> Any:
        if isinstance(value, str):
            if value == old:
                return new
            return new + value[len(old) :] if value.startswith(prefix) else value
        if isinstance(value, dict):
            return {key: move(item) for key, item in value.items()}
        if isinstance(value, list):
            return [move(item) for item in value]
        return value

    return move(snapshot)  # type: ignore[no-any-return]
