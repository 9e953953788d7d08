"""The OpenAPI 3.1 document of the JSON API, written by hand (no generator dependency).

Component schemas are JSON Schema 2020-12, closed with ``additionalProperties: false`` so that
a field added to a response without being documented here (or anything private slipping in)
fails the tests that validate every response against them.
"""

from __future__ import annotations

import copy
from typing import Any

API_VERSION = "1.0.0"

_REF = "#/components/schemas/"
DATE_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF + name}


def _obj(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    """A closed object schema in which every property is required."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _str(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def _nullable_str(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": ["string", "null"], "description": description, **extra}


def _instant(description: str) -> dict[str, Any]:
    return _str(description, format="date-time", pattern=DATE_TIME_PATTERN)


def _day(description: str) -> dict[str, Any]:
    return _str(description, format="date", pattern=DATE_PATTERN)


_HTML = "the same text as HTML, rendered from Markdown and sanitized (safe to insert)"

_EVENT_SUMMARY: dict[str, Any] = {
    "slug": _str("the event's short name, used in every URL"),
    "name": _str("the event's name"),
    "time_zone": _str("IANA time zone of the event, e.g. Europe/Brussels"),
    "first_day": _day("first conference day (local date)"),
    "last_day": _day("last conference day (local date)"),
    "release": {
        "description": "the current schedule release, or null before the first one",
        "oneOf": [_ref("Release"), {"type": "null"}],
    },
    "links": _ref("EventLinks"),
}

_SPEAKER_BRIEF: dict[str, Any] = {
    "id": _str("the speaker's id in this event's program (stable across releases)"),
    "name": _str("public name"),
    "url": _str("the speaker's page in the public program", format="uri"),
}

SCHEMAS: dict[str, Any] = {
    "Error": _obj(
        {
            "error": _obj(
                {
                    "code": {"type": "integer", "description": "HTTP status code"},
                    "title": _str("short title of the status"),
                    "message": _str("what was wrong, naming the parameter at fault"),
                }
            )
        },
        "An error: 400 (bad parameter) or 404 (unknown or private event, unknown session).",
    ),
    "Release": _obj(
        {
            "version": {"type": "integer", "minimum": 1, "description": "1, 2, ... per event"},
            "published_at": _instant("when the release was published (UTC)"),
        },
        "A published, numbered version of an event's schedule.",
    ),
    "EventLinks": _obj(
        {
            "website": {
                **_nullable_str("the event's own website, if it has one"),
                "format": "uri",
            },
            "program": _str("the public program's event page", format="uri"),
            "self": _str("this event in the API", format="uri"),
            "sessions": _str("the event's sessions in the API", format="uri"),
            "speakers": _str("the event's speakers in the API", format="uri"),
            "schedule_xml": _str("frab/pentabarf schedule.xml export", format="uri"),
            "schedule_json": _str("schedule JSON export (frab/pretalx shape)", format="uri"),
            "schedule_ics": _str("iCalendar export of the whole program", format="uri"),
        },
        "Where to find the event elsewhere. Exports answer 404 until a release exists.",
    ),
    "EventSummary": _obj(_EVENT_SUMMARY, "A public event."),
    "EventList": _obj(
        {"events": {"type": "array", "items": _ref("EventSummary")}},
        "Every public event, latest first day first.",
    ),
    "Track": _obj(
        {
            "name": _str("track name (the value of the sessions' track filter)"),
            "color": _nullable_str("CSS colour like #3366cc"),
        }
    ),
    "Room": _obj(
        {
            "name": _str("room name (the value of the sessions' room filter)"),
            "guid": _nullable_str("stable room identifier used by schedule exports"),
            "capacity": {"type": ["integer", "null"], "description": "seats, if known"},
        }
    ),
    "SessionType": _obj({"name": _str("e.g. Talk, Workshop, Lightning talk")}),
    "EventDetail": _obj(
        {
            **_EVENT_SUMMARY,
            "description": _str("the event's description (Markdown)"),
            "description_html": _str(_HTML),
            "day_change": _str(
                "local time HH:MM at which one conference day ends and the next begins",
                pattern=r"^\d{2}:\d{2}$",
            ),
            "tracks": {"type": "array", "items": _ref("Track")},
            "rooms": {"type": "array", "items": _ref("Room")},
            "session_types": {"type": "array", "items": _ref("SessionType")},
        },
        "One public event. Tracks, rooms and session types are those of the current release "
        "(session types: the ones its sessions use); all three are empty before the first.",
    ),
    "Link": _obj({"title": _str("link text"), "url": _str("address")}),
    "Answer": _obj(
        {
            "question": _str("the question as the organizers asked it"),
            "speaker": _nullable_str("the speaker answering a question about speakers"),
            "answer": _str("the answer as text (choices joined by '; ', dates YYYY-MM-DD)"),
        },
        "A public answer to a custom CfP question.",
    ),
    "SpeakerBrief": _obj(
        _SPEAKER_BRIEF,
        "A speaker as a session lists them; the biography is in the speakers list, so a "
        "speaker of several sessions is sent once.",
    ),
    "Speaker": _obj(
        {
            **_SPEAKER_BRIEF,
            "biography": _str("public biography as the speaker wrote it (Markdown)"),
            "biography_html": _str(_HTML),
            "avatar_url": _nullable_str(
                "the speaker's picture (absolute URL, a square-ish JPEG or PNG of at most "
                "512x512 pixels), or null when the release has none",
                format="uri",
            ),
            "sessions": {
                "type": "array",
                "items": {"type": "string"},
                "description": "guids of the speaker's sessions in this release, in time order",
            },
        },
        "A speaker of at least one session of the current release.",
    ),
    "Session": _obj(
        {
            "id": {"type": "integer", "description": "numeric id (frab event id)"},
            "guid": _str("stable unique identifier (UUID) across releases and exports"),
            "title": _str("title"),
            "subtitle": _str("subtitle, often empty"),
            "abstract": _str(
                "abstract as stored in the release: Markdown (imported schedules may hold HTML)"
            ),
            "abstract_html": _str(_HTML),
            "description": _str("longer description, same format as the abstract"),
            "description_html": _str(_HTML),
            "track": _nullable_str("track name"),
            "room": _str("room name"),
            "session_type": _nullable_str("session type name"),
            "language": _nullable_str("language code, e.g. en"),
            "day": _day("the conference day the session belongs to (honours day_change)"),
            "start_utc": _instant("start in UTC (+00:00)"),
            "end_utc": _instant("end in UTC (+00:00)"),
            "start_local": _instant("start in the event's time zone, with its offset"),
            "end_local": _instant("end in the event's time zone, with its offset"),
            "duration_minutes": {"type": "integer", "minimum": 0, "description": "minutes"},
            "do_not_record": {"type": "boolean", "description": "the speakers opted out"},
            "speakers": {"type": "array", "items": _ref("SpeakerBrief")},
            "links": {
                "type": "array",
                "items": _ref("Link"),
                "description": "related pages (slides, video, chat), http(s) only",
            },
            "attachments": {
                "type": "array",
                "items": _ref("Link"),
                "description": "files attached to the session, http(s) only",
            },
            "url": _str("the session's page in the public program", format="uri"),
            "answers": {
                "type": "array",
                "items": _ref("Answer"),
                "description": "answers to the event's public questions, in question order",
            },
        },
        "A session of the current release.",
    ),
    "SessionList": _obj(
        {
            "event": _str("event slug"),
            "time_zone": _str("the zone of the *_local times"),
            "release": {
                "description": "the release the sessions come from; null (and no sessions) "
                "before the first release",
                "oneOf": [_ref("Release"), {"type": "null"}],
            },
            "sessions": {"type": "array", "items": _ref("Session")},
        },
        "Sessions of the current release in time order (then room order).",
    ),
    "SessionDetail": _obj(
        {
            "event": _str("event slug"),
            "time_zone": _str("the zone of the *_local times"),
            "release": _ref("Release"),
            "session": _ref("Session"),
        }
    ),
    "SpeakerList": _obj(
        {
            "event": _str("event slug"),
            "time_zone": _str("the event's time zone"),
            "release": {"oneOf": [_ref("Release"), {"type": "null"}]},
            "speakers": {"type": "array", "items": _ref("Speaker")},
        },
        "Speakers of the current release's sessions, by name.",
    ),
}

_SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "the event's slug",
    "schema": {"type": "string"},
}
_CACHED_HEADERS = {
    "ETag": {
        "description": "send it back in If-None-Match to get 304",
        "schema": {"type": "string"},
    },
    "Cache-Control": {"schema": {"type": "string", "example": "public, max-age=60"}},
    "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}},
}
_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "an ETag from an earlier response: 304 if nothing changed",
    "schema": {"type": "string"},
}


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": _CACHED_HEADERS,
        "content": {"application/json": {"schema": _ref(schema)}},
    }


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


_NOT_MODIFIED = {"description": "the copy named by If-None-Match is current"}
_NO_EVENT = _error("no public event with this slug")


def _get(summary: str, operation_id: str, responses: dict[str, Any], params: list) -> dict:
    return {
        "get": {
            "summary": summary,
            "operationId": operation_id,
            "parameters": [*params, _IF_NONE_MATCH],
            "responses": {**responses, "304": _NOT_MODIFIED},
        }
    }


PATHS: dict[str, Any] = {
    "/events": _get(
        "Public events",
        "listEvents",
        {"200": _ok("EventList", "every public event")},
        [],
    ),
    "/events/{slug}": _get(
        "One public event with its tracks, rooms and session types",
        "getEvent",
        {"200": _ok("EventDetail", "the event"), "404": _NO_EVENT},
        [_SLUG],
    ),
    "/events/{slug}/sessions": _get(
        "Sessions of the current schedule release",
        "listSessions",
        {
            "200": _ok("SessionList", "the sessions (empty, release null, before publication)"),
            "400": _error("a filter is malformed or names no track, room or day of the event"),
            "404": _NO_EVENT,
        },
        [
            _SLUG,
            {
                "name": "track",
                "in": "query",
                "required": False,
                "description": "only sessions of the track with this exact name",
                "schema": {"type": "string", "maxLength": 200},
            },
            {
                "name": "room",
                "in": "query",
                "required": False,
                "description": "only sessions in the room with this exact name",
                "schema": {"type": "string", "maxLength": 200},
            },
            {
                "name": "day",
                "in": "query",
                "required": False,
                "description": "only sessions of this conference day (YYYY-MM-DD, event's zone)",
                "schema": {"type": "string", "format": "date"},
            },
        ],
    ),
    "/events/{slug}/sessions/{guid}": _get(
        "One session of the current schedule release",
        "getSession",
        {
            "200": _ok("SessionDetail", "the session"),
            "404": _error("no public event with this slug, or no such session in its release"),
        },
        [
            _SLUG,
            {
                "name": "guid",
                "in": "path",
                "required": True,
                "description": "the session's guid",
                "schema": {"type": "string"},
            },
        ],
    ),
    "/events/{slug}/speakers": _get(
        "Speakers of the current schedule release",
        "listSpeakers",
        {"200": _ok("SpeakerList", "the speakers (empty before publication)"), "404": _NO_EVENT},
        [_SLUG],
    ),
    "/openapi.json": {
        "get": {
            "summary": "This document",
            "operationId": "getOpenApi",
            "responses": {
                "200": {
                    "description": "the OpenAPI 3.1 document",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
}


def document(*, server_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document with ``server_url`` (e.g. ``https://host/api/v1``) as server."""
    from podium.api import openapi_private  # it builds on this module's helpers

    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Podium API",
            "version": API_VERSION,
            "description": (
                "Read-only JSON API of the public program: public events and the sessions and "
                "speakers of their current published schedule release. No authentication; any "
                "origin may read it. Responses carry an ETag (per release for sessions and "
                "speakers): send it back in If-None-Match to get 304 Not Modified."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": copy.deepcopy({**PATHS, **openapi_private.PATHS}),
        "components": {
            "schemas": copy.deepcopy({**SCHEMAS, **openapi_private.SCHEMAS}),
            "securitySchemes": copy.deepcopy(openapi_private.SECURITY_SCHEMES),
        },
    }
