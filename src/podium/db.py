"""Declarative base, constraint naming convention and the UTC timestamp column type.

Every instant Podium stores is a timezone-aware datetime in UTC. SQLite has no time zone
support, so :class:`UTCDateTime` normalises to UTC before writing and re-attaches UTC when
reading; PostgreSQL gets a ``timestamp with time zone`` column.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

# A fixed naming convention makes constraint names deterministic, so Alembic migrations are the
# same on every machine and constraints can be dropped by name on SQLite batch migrations.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current instant as an aware UTC datetime (use as a column default)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp column that only accepts and returns aware UTC datetimes.

    Raises:
        ValueError: when a naive datetime is bound, because its zone would be a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: Podium stores only aware UTC instants")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            # SQLite compares the stored text; one fixed zone keeps ordering correct.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every Podium model (used as Flask-SQLAlchemy's ``model_class``)."""

    # Every ``Mapped[datetime]`` column becomes a UTCDateTime without repeating it per model.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )
