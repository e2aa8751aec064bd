"""Backup and restore: SQLite to PostgreSQL and back gives identical rows, files and exports;
a damaged archive or a non-empty database is refused with nothing written."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from cetrack.db.engine import get_engine
from cetrack.db.migrate import upgrade
from cetrack.services import reports
from cetrack.services.actor import Actor
from cetrack.services.backup import TABLES, BackupError, backup_bytes, restore_backup
from cetrack.services.demo import DEMO_EMAIL, load_demo
from cetrack.services.people import find_person
from cetrack.services.workspace import Workspace
from tests.services.helpers import TODAY, me

SYSTEM = Actor.system()


def workspace_at(url: str, registry, files_dir) -> Workspace:
    engine = get_engine(url)
    upgrade(engine)
    return Workspace(engine=engine, registry=registry, files_dir=files_dir)


def snapshot(workspace: Workspace) -> dict:
    """Every row of every table, every stored file, and the person's exports (made first:
    they bring the stored results current)."""
    with workspace.transaction() as session:
        person = find_person(session, actor=SYSTEM, email=DEMO_EMAIL)
        exports = {
            "csv": reports.activities_csv(session, workspace, actor=me(person), person=person),
            "packet": reports.packet_bytes(
                session, workspace, actor=me(person), person=person, today=TODAY
            ),
        }
    with workspace.transaction() as session:
        rows = {
            model.__table__.name: [
                dict(row)
                for row in session.execute(
                    select(model.__table__).order_by(model.__table__.c.id)
                ).mappings()
            ]
            for model in TABLES
        }
    files = {
        path.relative_to(workspace.files_dir).as_posix(): path.read_bytes()
        for path in sorted(workspace.files_dir.rglob("*"))
        if path.is_file()
    }
    return {"rows": rows, "files": files, "exports": exports}


def backup_of(workspace: Workspace) -> bytes:
    with workspace.transaction() as session:
        return backup_bytes(session, workspace, actor=SYSTEM)


def restore_into(workspace: Workspace, data: bytes) -> dict[str, int]:
    with workspace.transaction() as session:
        return restore_backup(session, workspace, actor=SYSTEM, data=data)


@pytest.fixture
def demo_sqlite(tmp_path, registry) -> Workspace:
    workspace = workspace_at(f"sqlite:///{tmp_path / 'source.db'}", registry, tmp_path / "a")
    with workspace.transaction() as session:
        load_demo(session, workspace, actor=SYSTEM, today=TODAY)
    return workspace


@pytest.mark.slow
def test_a_round_trip_sqlite_to_postgresql_and_back_is_identical(
    demo_sqlite, postgres_url, tmp_path, registry
):
    original = snapshot(demo_sqlite)
    on_postgres = workspace_at(postgres_url, registry, tmp_path / "b")
    counts = restore_into(on_postgres, backup_of(demo_sqlite))
    assert counts["activity"] == len(original["rows"]["activity"]) > 0
    assert snapshot(on_postgres) == original
    back = workspace_at(f"sqlite:///{tmp_path / 'back.db'}", registry, tmp_path / "c")
    restore_into(back, backup_of(on_postgres))
    assert snapshot(back) == original
    # the restored database keeps working: new rows get new ids
    from tests.services.helpers import log

    with on_postgres.transaction() as session:
        person = find_person(session, actor=SYSTEM, email=DEMO_EMAIL)
        added = log(session, person, title="After the restore")
    assert added.id > max(row["id"] for row in original["rows"]["activity"])


def test_the_archive_holds_every_table_file_rule_hash_and_a_manifest(demo_sqlite):
    with zipfile.ZipFile(io.BytesIO(backup_of(demo_sqlite))) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        rules = json.loads(archive.read("rules.json"))
    assert manifest["format"] == "cetrack-backup" and manifest["version"] == 1
    assert {f"tables/{model.__table__.name}.jsonl" for model in TABLES} <= names
    assert any(name.startswith("files/") for name in names)
    assert set(manifest["members"]) == names - {"manifest.json"}
    assert rules == demo_sqlite.registry.hashes


def test_a_damaged_archive_is_refused_and_nothing_is_written(demo_sqlite, tmp_path, registry):
    data = backup_of(demo_sqlite)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "tables/activity.jsonl":
                content = content.replace(b"Ethics", b"Ethic5", 1)
            target.writestr(name, content)
    empty = workspace_at(f"sqlite:///{tmp_path / 'empty.db'}", registry, tmp_path / "e")
    with pytest.raises(BackupError, match=r"tables/activity\.jsonl does not match its checksum"):
        restore_into(empty, buffer.getvalue())
    for garbage in (b"not a zip", data[:-40]):
        with pytest.raises(BackupError, match=r"not a readable cetrack backup|damaged"):
            restore_into(empty, garbage)
    with empty.transaction() as session:
        for model in TABLES:
            assert session.execute(select(model.__table__)).first() is None
    assert not (tmp_path / "e").exists()


def test_a_database_that_is_not_empty_is_refused(demo_sqlite):
    data = backup_of(demo_sqlite)
    before = snapshot(demo_sqlite)
    with pytest.raises(BackupError, match="not empty"):
        restore_into(demo_sqlite, data)
    assert snapshot(demo_sqlite) == before
