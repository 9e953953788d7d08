"""Large rendered bodies live in private files, not in the worker's heap, and are sent whole:
through the server's ``wsgi.file_wrapper`` (sendfile) when it has one, rendered again when a
file disappears, deleted when no cache holds them, never deleted by a forked child."""

from __future__ import annotations

import gc
import gzip
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from podium.program import body_files
from podium.program.body_files import SpilledBody, spill
from tests.program.test_queries import build

URLS = [
    "/{slug}/schedule/",
    "/{slug}/schedule.xml",
    "/{slug}/schedule.json",
    "/api/v1/events/{slug}/sessions",
]


@pytest.fixture
def private_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A temporary folder of the test's own, a fresh per-process directory, small threshold."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    monkeypatch.setattr(body_files, "_DIRECTORY", body_files._Directory())
    monkeypatch.setattr(body_files, "SPILL_THRESHOLD", 512)
    return folder


def _body_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{body_files.DIRECTORY_PREFIX}*/*.body"))


def _rendered(app: Flask) -> list[object]:
    return [
        value for value, _cost in app.extensions["podium_program_cache"].rendered._items.values()
    ]


def _fresh_caches(app: Flask) -> None:
    app.extensions.pop("podium_program_cache", None)
    cache = app.extensions.get("podium_response_cache")
    if cache is not None:
        cache.store.clear()
    gc.collect()


@pytest.mark.parametrize("template", URLS)
def test_large_bodies_are_private_files_sent_whole_plain_and_gzipped(
    app: Flask, private_tmp: Path, monkeypatch: pytest.MonkeyPatch, template: str
) -> None:
    url = template.format(**build("big", 12, 3))
    client = app.test_client()
    # The same responses with every body kept in memory, as before files.
    monkeypatch.setattr(body_files, "SPILL_THRESHOLD", 1 << 40)
    expected = [client.get(url, headers=h) for h in ({}, {"Accept-Encoding": "gzip"})]
    assert _body_files(private_tmp) == []
    monkeypatch.setattr(body_files, "SPILL_THRESHOLD", 512)
    _fresh_caches(app)

    for headers, before in zip(({}, {"Accept-Encoding": "gzip"}), expected, strict=True):
        for _ in range(2):  # rendered, then replayed by the response cache
            response = client.get(url, headers=headers)
            assert response.status_code == 200
            assert response.get_data() == before.get_data()
            assert response.headers["Content-Length"] == str(len(before.get_data()))
            assert response.headers.get("Content-Encoding") == before.headers.get(
                "Content-Encoding"
            )
            assert response.headers["ETag"] == before.headers["ETag"]

    files = _body_files(private_tmp)
    assert len(files) == 2  # plain and gzip
    assert (
        gzip.decompress(min(files, key=lambda f: f.stat().st_size).read_bytes())
        == max(files, key=lambda f: f.stat().st_size).read_bytes()
    )
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700
    assert sum(isinstance(value, SpilledBody) for value in _rendered(app)) == 2


def test_the_servers_file_wrapper_sends_the_file(app: Flask, private_tmp: Path) -> None:
    url = "/{slug}/schedule.xml".format(**build("big", 12, 3))
    sent: list[str] = []

    def file_wrapper(file: Any, block_size: int) -> Any:
        sent.append(file.name)
        data = file.read()
        file.close()
        return [data]

    client = app.test_client()
    plain = client.get(url).get_data()
    wrapped = [client.get(url, environ_base={"wsgi.file_wrapper": file_wrapper}) for _ in range(2)]

    assert [r.get_data() for r in wrapped] == [plain, plain]
    assert len(sent) == 2  # by Flask, then by the response cache's replay
    assert {Path(name) for name in sent} == set(_body_files(private_tmp))


def test_a_file_deleted_from_under_the_process_is_rendered_again(
    app: Flask, private_tmp: Path
) -> None:
    url = "/{slug}/schedule.xml".format(**build("big", 12, 3))
    client = app.test_client()
    first = client.get(url).get_data()
    for file in _body_files(private_tmp):
        file.unlink()  # a /tmp cleaner

    again = client.get(url)
    third = client.get(url)

    assert again.status_code == third.status_code == 200
    assert again.get_data() == third.get_data() == first
    assert len(_body_files(private_tmp)) == 1


def test_a_whole_directory_removed_is_made_again(private_tmp: Path) -> None:
    first = spill(b"x" * 1000)
    for folder in private_tmp.iterdir():
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()

    second = spill(b"y" * 1000)

    assert Path(second.path).read_bytes() == b"y" * 1000
    assert not Path(first.path).exists()


def test_a_file_is_deleted_when_no_cache_holds_it(private_tmp: Path) -> None:
    body = spill(b"x" * 1000)
    path = Path(body.path)
    assert path.read_bytes() == b"x" * 1000 and len(body) == 1000

    del body
    gc.collect()

    assert not path.exists()


def test_bodies_stay_in_memory_when_no_file_can_be_written(
    app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setattr("tempfile.tempdir", str(blocker / "tmp"))
    monkeypatch.setattr(body_files, "_DIRECTORY", body_files._Directory())
    monkeypatch.setattr(body_files, "SPILL_THRESHOLD", 512)
    url = "/{slug}/schedule.xml".format(**build("big", 12, 3))

    response = app.test_client().get(url)

    assert response.status_code == 200 and b"<schedule" in response.get_data()
    assert any(isinstance(value, bytes) and b"<schedule" in value for value in _rendered(app))


def test_directories_of_dead_processes_on_this_host_are_removed(private_tmp: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = int(finished.stdout)
    host = body_files._own_prefix()
    left_behind = private_tmp / f"{host}{dead}-abc"
    living = private_tmp / f"{host}{os.getppid()}-def"
    other_host = private_tmp / f"{body_files.DIRECTORY_PREFIX}otherhost-{dead}-ghi"
    unrelated = private_tmp / f"unrelated-{dead}"
    for folder in (left_behind, living, other_host, unrelated):
        folder.mkdir()
        (folder / "0.body").write_bytes(b"old")

    spill(b"x" * 1000)

    assert not left_behind.exists()
    assert living.exists() and other_host.exists() and unrelated.exists()


def test_a_forked_child_leaves_its_parents_files(tmp_path: Path) -> None:
    script = f"""
import os, sys, tempfile
tempfile.tempdir = {str(tmp_path)!r}
from podium.program.body_files import spill
body = spill(b"x" * 1000)
child = os.fork()
if child == 0:
    sys.exit(0)  # a normal exit runs the finalizers the child inherited
os.waitpid(child, 0)
print(os.path.exists(body.path), body.path)
"""
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    exists, path = out.stdout.split()

    assert exists == "True"
    assert not Path(path).exists()  # removed at the parent's own exit
    assert list(tmp_path.iterdir()) == []
