"""Program search: every query word must start a word of the title, subtitle, track or a
speaker's name, ignoring case and accents."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from podium.exchange.frab_xml import parse_frab_xml
from podium.exchange.schedule_data import (
    Conference,
    PersonData,
    RoomData,
    ScheduleData,
    SessionData,
)
from podium.program import search
from podium.program.timeline import ProgramData
from podium.schedule import services
from tests.exchange.conftest import read_fixture
from tests.schedule.builders import make_event, make_rooms, make_speaker, place

START = dt.datetime(2030, 2, 2, 9, 0, tzinfo=dt.UTC)
TITLES = [
    "Rust in space",
    "Rustaceans unite",
    "Trustable builds",
    "Crust and pizza",
    "José's café: Ünicode in Python",
    "Straße names and C++",
]


def _program(titles: list[str], persons: dict[int, PersonData] | None = None) -> ProgramData:
    sessions = [
        SessionData(
            guid=f"s{i}",
            id=i,
            title=title,
            start_utc=START + dt.timedelta(minutes=30 * i),
            duration_minutes=30,
            room="Main",
            track="Languages" if i == 5 else None,
            persons=(persons[i],) if persons and i in persons else (),
        )
        for i, title in enumerate(titles)
    ]
    data = ScheduleData(
        conference=Conference(
            title="Search Conf",
            slug="search",
            time_zone="UTC",
            start_date=dt.date(2030, 2, 2),
            end_date=dt.date(2030, 2, 2),
        ),
        rooms=(RoomData(name="Main"),),
        sessions=tuple(sessions),
    )
    return ProgramData.from_snapshot(data.to_dict())


def _titles(program: ProgramData, query: str) -> list[str]:
    return [s.title for s in program.search(query)]


def test_words_fold_case_and_accents_and_split_on_punctuation() -> None:
    assert search.words("José's CAFÉ: Ünicode-Rust_2 Straße") == [
        "jose",
        "s",
        "cafe",
        "unicode",
        "rust",
        "2",
        "strasse",
    ]


def test_word_prefix_matches_rust_and_rustaceans_not_trustable() -> None:
    program = _program(TITLES)
    assert _titles(program, "rust") == ["Rust in space", "Rustaceans unite"]
    assert _titles(program, "RUSTA") == ["Rustaceans unite"]
    assert _titles(program, "trust") == ["Trustable builds"]
    assert _titles(program, "ust") == []


def test_search_ignores_accents_and_case_both_ways() -> None:
    program = _program(TITLES)
    assert _titles(program, "jose cafe") == ["José's café: Ünicode in Python"]
    assert _titles(program, "CAFÉ ünicode") == ["José's café: Ünicode in Python"]
    assert _titles(program, "strasse") == ["Straße names and C++"]


def test_every_word_must_match_in_any_field() -> None:
    ada = PersonData(name="Ada Lovelace", id=7)
    program = _program(TITLES, {0: ada})
    assert _titles(program, "rust love") == ["Rust in space"]
    assert _titles(program, "rust pizza") == []
    assert _titles(program, "lang c") == ["Straße names and C++"]  # track "Languages"
    assert _titles(program, "  ,;  ") == []


def test_fosdem_rust_finds_exactly_the_sessions_with_a_word_starting_rust() -> None:
    program = ProgramData.from_snapshot(
        parse_frab_xml(read_fixture("fosdem-2025.schedule.xml")).to_dict()
    )
    # An independent oracle: "rust" right after a non-letter (or at the start) in any field.
    word_start = re.compile(r"(?i)(?<![^\W_])rust")
    expected = [
        s.guid
        for s in program.data.sessions_sorted()
        if word_start.search(
            " ".join([s.title, s.subtitle, s.track or "", *(p.name for p in s.persons)])
        )
    ]
    trust_only = [
        s.title
        for s in program.sessions_by_guid.values()
        if "Trust" in s.title and not word_start.search(s.title)
    ]

    found = program.search("rust")

    assert [s.guid for s in found] == expected
    assert len(found) == 24
    assert trust_only != [] and [s.title for s in found if s.title in trust_only] == []


@pytest.fixture
def published(app: Flask) -> None:
    event = make_event(name="Demo Conf", slug="demo")
    (room,) = make_rooms(event, 1)
    bob = make_speaker("Bob Byté")
    place(event, room, "2030-02-02 10:00", title="Rust in space", speakers=(bob,))
    place(event, room, "2030-02-02 11:00", title="Trustable builds")
    place(event, room, "2030-02-02 12:00", title="Rustaceans unite")
    services.publish_release(event=event, actor=None)


def _result_titles(client: FlaskClient, query: str) -> list[str]:
    html = client.get("/demo/search", query_string={"q": query}).get_data(as_text=True)
    listing = html.split('<ul class="search-results">', 1)[-1].split("</ul>", 1)[0]
    return re.findall(r'href="/demo/sessions/[^"]+">([^<]+)</a>', listing)


def test_search_page_lists_exact_matches(client: FlaskClient, published: None) -> None:
    assert _result_titles(client, "rust") == ["Rust in space", "Rustaceans unite"]
    assert _result_titles(client, "BYTE rust") == ["Rust in space"]
    assert _result_titles(client, "trust") == ["Trustable builds"]
    response = client.get("/demo/search?q=ust")
    assert "0 sessions found." in response.get_data(as_text=True)
