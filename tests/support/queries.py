"""Counting SQL statements, so tests can prove a page's query count is bounded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
