"""Import throughput: preview and commit a CE CSV onto a log that already holds its rows.
Prints figures; asserts nothing (performance targets live here, not in timed tests).

    python scripts/bench_import.py [--rows 5000] [--database sqlite|postgresql]

Target (issue 6): re-importing 5,000 rows onto a log of 5,000 in under 2 s on 2 cores.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from cetrack.db.engine import get_engine
from cetrack.db.migrate import upgrade
from cetrack.rules.registry import Registry
from cetrack.services import imports, people
from cetrack.services.actor import Actor
from cetrack.services.workspace import Workspace

TODAY = date(2026, 11, 22)
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def csv_rows(count: int, *, offset: int = 0) -> bytes:
    """`count` rows that share dates and amounts with one another (only titles differ)."""
    lines = ["title,completed,amount,format,categories"]
    for index in range(offset, offset + count):
        day = date(2025, 1, 1) + timedelta(days=index % 600)
        lines.append(f"Course {index},{day},{1 + index % 3},in_person,clinical")
    return ("\n".join(lines) + "\n").encode()


def timed(label: str, work):
    start = time.perf_counter()
    value = work()
    print(f"{label:<52} {time.perf_counter() - start:7.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        schema = None
        if args.database == "sqlite":
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
        else:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            with create_engine(POSTGRES).begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
        engine = get_engine(url)
        upgrade(engine)
        workspace = Workspace(engine, Registry.from_directory(), Path(folder) / "files")
        with workspace.transaction() as session:
            person = people.create_person(
                session, actor=Actor.system(), email="bench@example.org", name="Bench", today=TODAY
            )
        actor = Actor.local(person)
        data = csv_rows(args.rows)

        def preview():
            with workspace.transaction() as session:
                return imports.preview_ce_import(
                    session, actor=actor, person=person, data=data, today=TODAY
                )

        def commit(parsed):
            with workspace.transaction() as session:
                return imports.commit_ce_import(session, actor=actor, person=person, preview=parsed)

        print(f"{args.rows:,} rows, {args.database}")
        first = timed("preview onto an empty log", preview)
        timed(f"commit {len(first.accepted):,} rows", lambda: commit(first))
        again = timed(f"re-import preview onto a log of {args.rows:,}", preview)
        outcome = timed("re-import commit (re-checks every row)", lambda: commit(again))
        logged, written = len(again.already_logged), len(outcome.created)
        print(f"re-import: {logged:,} already logged, {written} written")
        timed("re-import, preview and commit together", lambda: commit(preview()))
        engine.dispose()
        if schema:
            with create_engine(POSTGRES).begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
