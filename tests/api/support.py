"""Shared helpers of the API tests: a published event and schema validation."""

from __future__ import annotations

from typing import Any

from flask import Flask
from jsonschema import Draft202012Validator

from podium.api.openapi import document
from podium.schedule import services
from tests.schedule.builders import local, make_event, make_rooms, make_speaker, place
from tests.support.factories import SessionTypeFactory, TrackFactory

OPENAPI = document(server_url="http://localhost/api/v1")


def validator(schema_name: str) -> Draft202012Validator:
    """A validator of the OpenAPI component ``schema_name`` (refs resolve inside the doc)."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": OPENAPI["components"],
        "$ref": f"#/components/schemas/{schema_name}",
    }
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(body: Any, schema_name: str) -> None:
    """Fail with every schema violation of ``body`` against component ``schema_name``."""
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(schema_name).iter_errors(body)
    ]
    assert not errors, f"{schema_name}: {errors}"


def publish_demo(app: Flask) -> dict[str, Any]:
    """Event ``demo``: two rooms, tracks Rust and Web, three sessions (one crossing
    midnight, so its conference day is Saturday although it ends on Sunday) and release 1."""
    event = make_event(
        name="Demo Conf", slug="demo", description="**Welcome**", url="https://demo.example"
    )
    room_a, room_b = make_rooms(event, 2)
    rust, web = TrackFactory(event=event, name="Rust"), TrackFactory(event=event, name="Web")
    talk = SessionTypeFactory(event=event, name="Talk")
    ada, bob = make_speaker("Ada Lovelace"), make_speaker("Bob Byte")
    opening = place(event, room_a, "2030-02-02 10:00", title="Opening", speakers=(ada,))
    rusty = place(
        event, room_b, "2030-02-02 10:30", minutes=60, title="Rust in space", speakers=(bob, ada)
    )
    late = place(event, room_a, "2030-02-03 23:30", minutes=60, title="Midnight hack")
    opening.submission.abstract = "Hello *world*"
    opening.submission.links = [
        {"kind": "link", "title": "Video", "url": "https://video.example/opening"},
        {"kind": "attachment", "title": "Slides", "url": "https://files.example/opening.pdf"},
    ]
    opening.submission.session_type = talk
    rusty.submission.track = rust
    late.submission.track = web
    services.add_block(
        event=event,
        title="Lunch",
        kind="break",
        room=None,
        start_at=local(event, "2030-02-02 12:00"),
        duration_minutes=60,
    )
    release = services.publish_release(event=event, actor=None, comment="First")
    return {
        "event": event,
        "opening": opening,
        "rusty": rusty,
        "late": late,
        "release": release,
        "rooms": (room_a, room_b),
    }
