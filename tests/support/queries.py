"""Counting SQL statements, so tests can prove a page's query count is bounded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import current_app
from sqlalchemy import event

from podium.database import READER_KEY
from podium.extensions import db


class QueryLog:
    """The SQL statements executed inside :func:`count_queries` (``statements``, ``count``)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries() -> Iterator[QueryLog]:
    """Record every statement the app's engines (the session's, and the reader of the public
    program's hot path, :func:`podium.database.install_reader`) execute inside the block."""
    log = QueryLog()

    def _record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        log.statements.append(statement)

    engines = [db.engine]
    reader = current_app.extensions.get(READER_KEY)
    if reader is not None:
        engines.append(reader)
    for engine in engines:
        event.listen(engine, "before_cursor_execute", _record)
    try:
        yield log
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", _record)


@pytest.fixture(name="app_config")
def flask_path_config() -> dict[str, object]:
    """``app_config`` for tests that count what a request costs inside Flask: the response
    cache in front of it (podium.program.response_cache) would answer repeated requests with
    no query at all. Import it into a test module to use it."""
    return {"PROGRAM_RESPONSE_CACHE": False}
