"""Database engines and transactional sessions.

SQLite runs in WAL mode with foreign keys on and a busy timeout. The driver's own transaction
handling is switched off (it commits DDL behind our back) and every transaction begins with
`BEGIN IMMEDIATE`: it takes the write lock up front, waiting up to the busy timeout, so two
writers never deadlock half-way and a migration's DDL is inside its transaction. A begin that
still finds the database locked is retried.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

BUSY_TIMEOUT_MS = 30_000
_BEGIN_ATTEMPTS = 8


def _is_locked(error: BaseException) -> bool:
    text = str(error).lower()
    return "database is locked" in text or "database table is locked" in text


def _retrying(step: Callable[[], None]) -> None:
    """Run `step`, retrying with a growing pause while SQLite says the database is locked."""
    for attempt in range(_BEGIN_ATTEMPTS):
        try:
            step()
            return
        except (sqlite3.OperationalError, OperationalError) as error:
            if not _is_locked(error) or attempt == _BEGIN_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * 2**attempt)


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    _retrying(lambda: cursor.execute("PRAGMA journal_mode=WAL"))
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(connection) -> None:
    _retrying(lambda: connection.exec_driver_sql("BEGIN IMMEDIATE"))


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=8)
def _sqlite_reader(url: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def read_engine(engine: Engine) -> Engine:
    """An engine for reads that need no write lock. On SQLite its statements run in
    autocommit, each on its own snapshot (WAL lets them run beside a writer); elsewhere it is
    `engine` itself."""
    if engine.dialect.name != "sqlite":
        return engine
    return _sqlite_reader(engine.url.render_as_string(hide_password=False))


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed together, or not at all. Files a failed transaction
    wrote (registered with `on_rollback`) are removed."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            for undo in session.info.pop("on_rollback", []):
                undo()
            raise
        finally:
            session.info.pop("on_rollback", None)


def on_rollback(session: Session, undo: Callable[[], None]) -> None:
    """Run `undo` if the session's transaction does not commit (e.g. delete a written file)."""
    session.info.setdefault("on_rollback", []).append(undo)
