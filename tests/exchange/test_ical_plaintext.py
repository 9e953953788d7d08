"""iCalendar DESCRIPTION is plain text (RFC 5545 TEXT), whatever markup the source used."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import icalendar

from podium.exchange.frab_xml import parse_frab_xml
from podium.exchange.ical import write_ical_program

from .conftest import read_fixture

STAMP = dt.datetime(2025, 1, 31, 12, 0, tzinfo=dt.UTC)
RICH_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "ical" / "rich-text.schedule.xml"
# What an HTML tag looks like in text: "<p>", "</a>", "<br/>", "<a href=...>".
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


def _descriptions(payload: bytes) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical(payload)
    return {str(e["UID"]): str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")}


def test_fosdem_descriptions_carry_no_html_tag() -> None:
    data = parse_frab_xml(read_fixture("fosdem-2025.schedule.xml"))
    raw_with_tags = sum(1 for s in data.sessions if TAG.search(s.abstract + s.description))

    descriptions = _descriptions(write_ical_program(data, stamp=STAMP))

    assert raw_with_tags == 943  # every source text is HTML: the check below means something
    assert len(descriptions) == 943
    assert [uid for uid, text in descriptions.items() if TAG.search(text)] == []


def test_fosdem_description_is_readable_paragraph_text() -> None:
    data = parse_frab_xml(read_fixture("fosdem-2025.schedule.xml"))
    session = next(s for s in data.sessions if s.id == 6210)

    description = _descriptions(write_ical_program(data, stamp=STAMP))[session.guid]

    assert description == (
        "Currently LLVM saves and restores callee-saved registers during prologue-epilogue "
        "insertion pass. I would like to present a new approach where we expose callee-saved "
        "register constraints early in the backend pipeline. This creates more opportunities "
        "for the optimizers and gives good performance gains. Interestingly, we achieve "
        "per-register shrink-wrapping for free. However, this makes emission of CFI directives "
        "much more complicated. I am currently in the process of upstreaming this work. The "
        "proof-of-concept branch is publicly available here: "
        "https://github.com/llvm/llvm-project/pull/90819 I have only tried this approach on "
        "RISCV, but it could be applied to other targets as well.\n\nSpeakers: Mikhail Gudim"
    )


def test_small_fixture_descriptions_are_exact_plain_text() -> None:
    data = parse_frab_xml(RICH_TEXT.read_bytes())

    descriptions = _descriptions(write_ical_program(data, stamp=STAMP))

    assert descriptions == {
        "6a0a6b70-0000-4000-8000-000000000001": (
            "As FOSDEM sends it\n\n"
            "Rust & C in the kernel.\n\n"
            "See the project (https://rust-for-linux.com) or https://kernel.org.\n\n"
            "- drivers\n- bindings\n  and macros\n\n"
            "Speakers: Ada Lovelace, Alan Turing"
        ),
        "6a0a6b70-0000-4000-8000-000000000002": (
            "Welcome!\nRead the docs (https://docs.example.org/start) first.\n\n"
            "1. install\n2. run podium\n\n"
            "Speakers: Grace Hopper"
        ),
    }
