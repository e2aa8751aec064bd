"""Storage that survives: SQLite settings, migrations that are atomic when killed half-way,
and many starts at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event, text
from sqlmodel import SQLModel

from cetrack.db.engine import _begin_immediate, _configure_sqlite, get_engine
from cetrack.db.migrate import current_revision, upgrade

ROOT = Path(__file__).resolve().parents[2]
HEAD = "0008"

# Kills its own process at the N-th statement of its first migration (SIGKILL: no cleanup).
KILLED_MIGRATION = """
import os, signal, sys
from sqlalchemy import event
from cetrack.db.engine import get_engine
from cetrack.db.migrate import upgrade

engine = get_engine(sys.argv[1])
statements = 0

@event.listens_for(engine, "before_cursor_execute")
def count(conn, cursor, statement, parameters, context, executemany):
    global statements
    statements += 1
    if statements == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)

upgrade(engine)
"""


def fresh_engine(url: str):
    """An engine of its own (not the cached one), as another process would have."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(url)


def assert_current(url: str) -> None:
    engine = fresh_engine(url)
    upgrade(engine)
    assert current_revision(engine) == HEAD
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'settings.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", [2, 6, 14, 25, 36, 45])
def test_a_first_migration_killed_half_way_is_completed_by_the_next_start(database_url, kill_at):
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MIGRATION, database_url, str(kill_at)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr  # it really died during the migration
    engine = fresh_engine(database_url)
    assert current_revision(engine) is None  # nothing of the first migration was kept
    engine.dispose()
    assert_current(database_url)


def test_a_failed_first_migration_leaves_nothing_behind(database_url, monkeypatch):
    from cetrack.db.migrations import versions  # noqa: F401  (namespace package)

    engine = fresh_engine(database_url)

    def fail(connection, cursor, statement, *args):
        if statement.lstrip().upper().startswith("CREATE TABLE STOREDFILE"):
            raise RuntimeError("disk full")

    event.listen(engine, "before_cursor_execute", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        upgrade(engine)
    event.remove(engine, "before_cursor_execute", fail)
    with engine.connect() as connection:
        tables = set(
            connection.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    if database_url.startswith("sqlite")
                    else "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                )
            ).scalars()
        )
    assert tables <= {"alembic_version"}
    engine.dispose()
    assert_current(database_url)


def test_eight_starts_at_once_on_a_new_database(database_url):
    errors: list[BaseException] = []

    def start():
        try:
            engine = fresh_engine(database_url)
            upgrade(engine)
            engine.dispose()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_current(database_url)


@pytest.mark.slow
def test_eight_processes_starting_at_once(database_url):
    script = (
        "import sys; from cetrack.db.migrate import upgrade; "
        "from tests.db.test_storage import fresh_engine; upgrade(fresh_engine(sys.argv[1]))"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, database_url],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for _ in range(8)
    ]
    failures = [process.communicate(timeout=120)[1] for process in processes if process.wait()]
    assert failures == []
    assert_current(database_url)
