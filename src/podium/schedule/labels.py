"""Words shown to people for values stored in English (submission states, slot kinds).

The database and the JSON API keep the English values; templates and messages translate
them at display time through these lazy strings.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from podium.cfp.enums import STATE_LABELS

# Submission states as the editor shows them (lower case, as in "accepted").
SLOT_KIND_LABELS = {
    "session": _l("session"),
    "break": _l("break"),
    "other": _l("other"),
}


def state_label(state: object) -> str:
    """A submission state (``"accepted"``) in the request's language; unknown ones as is."""
    key = str(state) if state is not None else ""
    return str(STATE_LABELS.get(key, key))


def slot_kind_label(kind: object) -> str:
    """A slot kind (``"break"``) in the request's language; unknown ones as is."""
    key = str(kind) if kind is not None else ""
    return str(SLOT_KIND_LABELS.get(key, key))
