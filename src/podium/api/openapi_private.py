"""The token API's part of the OpenAPI document: bearer security, paths and schemas.

Kept apart from :mod:`podium.api.openapi` (the public, cached API) and merged into the same
document by :func:`podium.api.openapi.document`.
"""

from __future__ import annotations

from typing import Any

from podium.api.openapi import _error, _instant, _nullable_str, _obj, _ref, _str
from podium.cfp.enums import SubmissionState

SECURITY_SCHEME = "apiToken"
SECURITY_SCHEMES: dict[str, Any] = {
    SECURITY_SCHEME: {
        "type": "http",
        "scheme": "bearer",
        "description": (
            "An API token of the event named in the URL, created by its organizers at "
            "/orga/<slug>/api-tokens/. Scopes: read:private (submissions, review scores, "
            "speakers' e-mail addresses; the working schedule) and write:schedule (place, "
            "move and unschedule sessions, publish releases; the working schedule)."
        ),
    }
}

_ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}
_NULLABLE_ID = {"type": ["integer", "null"], "minimum": 1, "maximum": 2147483647}
_VERSION = {
    "type": "integer",
    "minimum": 0,
    "description": "the slot's version as last read; a stale one is refused with 409",
}
_START = {
    "type": "string",
    "format": "date-time",
    # Whole minutes (seconds 00), years 1900-2999, an explicit offset.
    "pattern": (
        r"^(19|2\d)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
        r"T([01]\d|2[0-3]):[0-5]\d(:00)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"
    ),
    "description": "start instant with a UTC offset, on a whole minute (e.g. 2030-02-02T10:00Z)",
}

_SLOT: dict[str, Any] = {
    "id": {**_ID, "description": "the slot's id"},
    "kind": {"type": "string", "enum": ["session", "break", "other"]},
    "submission_id": {**_NULLABLE_ID, "description": "the session's submission, null for blocks"},
    "guid": _nullable_str("the session's guid, null for blocks"),
    "title": _nullable_str("the session's or block's title"),
    "room_id": {**_NULLABLE_ID, "description": "the room, null for a block in every room"},
    "start": _instant("start (UTC)"),
    "end": _instant("end (UTC)"),
    "duration_minutes": {"type": "integer", "minimum": 0},
    "version": {
        "type": "integer",
        "minimum": 1,
        "description": "changes with every change to the slot; send it back with a change",
    },
}

SCHEMAS: dict[str, Any] = {
    "WorkingSlot": _obj(_SLOT, "A slot of the working (not yet published) schedule."),
    "SlotResponse": _obj({"slot": _ref("WorkingSlot")}),
    "WorkingSchedule": _obj(
        {
            "event": _str("the event's slug"),
            "time_zone": _str("IANA time zone of the event"),
            "rooms": {
                "type": "array",
                "items": _obj({"id": _ID, "name": _str("room name")}),
            },
            "slots": {"type": "array", "items": _ref("WorkingSlot")},
        },
        "The working schedule: rooms by position and every slot by start.",
    ),
    "PrivateSubmission": _obj(
        {
            "id": _ID,
            "guid": _str("stable id, the session's guid once published"),
            "title": _str("title"),
            "state": {"type": "string", "enum": [s.value for s in SubmissionState]},
            "track": _nullable_str("track name"),
            "session_type": _nullable_str("session type name"),
            "duration_minutes": {"type": "integer", "minimum": 0},
            "submitted_at": {
                "oneOf": [_instant("first submitted (UTC)"), {"type": "null"}],
            },
            "speakers": {
                "type": "array",
                "items": _obj(
                    {
                        "name": _str("name in the program"),
                        "email": _nullable_str("account e-mail; null for imported speakers"),
                    }
                ),
            },
            "reviews": _obj(
                {
                    "count": {"type": "integer", "minimum": 0},
                    "mean_score": {"type": ["number", "null"], "description": "null: no review"},
                }
            ),
            "slot": {"oneOf": [_ref("WorkingSlot"), {"type": "null"}]},
        },
        "A submission as organizers see it.",
    ),
    "PrivateSubmissionList": _obj(
        {
            "event": _str("the event's slug"),
            "submissions": {"type": "array", "items": _ref("PrivateSubmission")},
        }
    ),
    "NewSlot": {
        "type": "object",
        "properties": {"submission_id": _ID, "room_id": _ID, "start": _START},
        "required": ["submission_id", "room_id", "start"],
        "additionalProperties": False,
    },
    "SlotMove": {
        "type": "object",
        "properties": {"room_id": _NULLABLE_ID, "start": _START, "version": _VERSION},
        "additionalProperties": False,
        "description": "left-out fields keep their value",
    },
    "NewRelease": {
        "type": "object",
        "properties": {
            "comment": {"type": "string", "maxLength": 500},
            "allow_unchanged": {"type": "boolean", "default": False},
        },
        "additionalProperties": False,
    },
    "ReleaseCreated": _obj(
        {
            "release": _obj(
                {
                    "version": {"type": "integer", "minimum": 1},
                    "published_at": _instant("when (UTC)"),
                    "comment": {"type": "string"},
                    "changelog": {
                        "type": "object",
                        "description": "new, moved, room_changed, canceled, blocks: lists",
                    },
                }
            )
        }
    ),
}

_SECURITY = [{SECURITY_SCHEME: []}]
_SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "the event's short name (public or not)",
    "schema": {"type": "string"},
}
_SLOT_ID = {
    "name": "slot_id",
    "in": "path",
    "required": True,
    "description": "the slot's id",
    "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
}
_AUTH_ERRORS = {
    "401": _error("no token, or an unknown or revoked one"),
    "403": _error("the token lacks the scope"),
    "404": _error("no such event for this token (or no such object in the event)"),
}


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}


def _op(summary: str, operation_id: str, responses: dict[str, Any], **extra: Any) -> dict:
    return {
        "summary": summary,
        "operationId": operation_id,
        "security": _SECURITY,
        "parameters": extra.pop("parameters", [_SLUG]),
        "responses": {**responses, **_AUTH_ERRORS},
        **extra,
    }


PATHS: dict[str, Any] = {
    "/events/{slug}/submissions": {
        "get": _op(
            "Every submission in every state (scope read:private)",
            "listPrivateSubmissions",
            {
                "200": _json("PrivateSubmissionList", "the submissions by id"),
                "400": _error("unknown state"),
            },
            parameters=[
                _SLUG,
                {
                    "name": "state",
                    "in": "query",
                    "required": False,
                    "description": "only submissions in this state",
                    "schema": {"type": "string", "enum": [s.value for s in SubmissionState]},
                },
            ],
        )
    },
    "/events/{slug}/slots": {
        "get": _op(
            "The working schedule (either scope)",
            "listSlots",
            {"200": _json("WorkingSchedule", "rooms and slots")},
        ),
        "post": _op(
            "Place an accepted or confirmed submission (scope write:schedule)",
            "createSlot",
            {
                "201": _json("SlotResponse", "the new slot"),
                "400": _error("a field is missing or malformed"),
                "409": _error("the schedule refuses it (not accepted, already scheduled, ...)"),
            },
            requestBody=_body("NewSlot"),
        ),
    },
    "/events/{slug}/slots/{slot_id}": {
        "patch": _op(
            "Move a slot (scope write:schedule)",
            "moveSlot",
            {
                "200": _json("SlotResponse", "the moved slot"),
                "400": _error("a field is malformed"),
                "409": _error("the schedule refuses it (a session needs a room, ...)"),
            },
            parameters=[_SLUG, _SLOT_ID],
            requestBody=_body("SlotMove"),
        ),
        "delete": _op(
            "Unschedule a session or delete a block (scope write:schedule)",
            "deleteSlot",
            {
                "204": {"description": "done"},
                "400": _error("malformed version"),
                "409": _error("the schedule refuses it"),
            },
            parameters=[
                _SLUG,
                _SLOT_ID,
                {
                    "name": "version",
                    "in": "query",
                    "required": False,
                    "description": "the slot's version as last read; 409 when stale",
                    "schema": {"type": "integer", "minimum": 0, "maximum": 999999999},
                },
            ],
        ),
    },
    "/events/{slug}/releases": {
        "post": _op(
            "Publish the working schedule as the next release (scope write:schedule)",
            "createRelease",
            {
                "201": _json("ReleaseCreated", "the release and its changelog"),
                "400": _error("a field is malformed"),
                "409": _error("nothing changed since the last release (allow_unchanged)"),
            },
            requestBody={
                "required": False,
                "content": {"application/json": {"schema": _ref("NewRelease")}},
            },
        )
    },
}
