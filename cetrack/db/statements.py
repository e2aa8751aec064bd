"""Statements that differ by database: insert-if-absent and row locks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel


def insert_ignore(
    session: Session, model: type[SQLModel], values: dict[str, Any], *, unique: list[str]
) -> bool:
    """Insert a row unless one with the same `unique` columns exists; True if inserted.
    Concurrent callers never fail: exactly one inserts."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=unique)
        .returning(model.id)
    )
    return session.execute(statement).first() is not None


def lock_rows(session: Session, model: type[SQLModel], *ids: int) -> None:
    """Hold the rows' write lock until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite
    transactions already hold the database's write lock from their start)."""
    if session.get_bind().dialect.name == "postgresql" and ids:
        session.execute(
            select(model.id).where(model.id.in_(ids)).order_by(model.id).with_for_update()
        )
