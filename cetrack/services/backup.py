"""Backup and restore: the whole database and its certificate files in one archive.

A backup is a ZIP with every table as JSON lines (in foreign-key order), every stored file,
the loaded rule files' hashes and a manifest of SHA-256 sums with a format version. Restore
checks every sum and the schema revision first, then writes everything in one transaction
into an empty database (SQLite or PostgreSQL, either way round), or nothing at all.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Table, TypeDecorator, func, insert, select, text
from sqlmodel import Session, SQLModel

from cetrack.db.engine import on_rollback
from cetrack.db.migrate import current_revision
from cetrack.db.models import Activity as ActivityRow
from cetrack.db.models import (
    AuditEvent,
    Certificate,
    Credential,
    Evaluation,
    LicensurePath,
    Person,
    Signature,
    StoredFile,
    SupervisionLog,
    SupervisionRelationship,
)
from cetrack.services.actor import Actor
from cetrack.services.certificates import read_stored, stored_path
from cetrack.services.policy import Action, WholeDatabase, require
from cetrack.services.workspace import Workspace

FORMAT = "cetrack-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# parents before children, so a restore never breaks a foreign key
TABLES: tuple[type[SQLModel], ...] = (
    Person,
    Credential,
    StoredFile,
    Certificate,
    ActivityRow,
    Evaluation,
    LicensurePath,
    SupervisionRelationship,
    SupervisionLog,  # by id: a log before the amendment that names it
    Signature,
    AuditEvent,
)


class BackupError(ValueError):
    """The archive cannot be restored here; nothing was written. The message says why."""


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A JSON row back into the column types (dates and times were written as ISO text)."""
    decoded = {}
    for name, value in row.items():
        kind = table.c[name].type
        kind = kind.impl if isinstance(kind, TypeDecorator) else kind
        if isinstance(value, str) and isinstance(kind, DateTime):
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(kind, Date):
            value = date.fromisoformat(value)
        decoded[name] = value
    return decoded


def _table_lines(session: Session, table: Table) -> bytes:
    rows = session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
    lines = [
        json.dumps({key: _encode(value) for key, value in row.items()}, sort_keys=True)
        for row in rows
    ]
    return ("\n".join(lines) + "\n" if lines else "").encode("utf-8")


def backup_bytes(session: Session, workspace: Workspace, *, actor: Actor) -> bytes:
    """The whole database, its files and the rule hashes, as one archive."""
    require(actor, Action.EXPORT, WholeDatabase())
    contents: dict[str, bytes] = {}
    counts = {}
    for model in TABLES:
        table = model.__table__
        data = _table_lines(session, table)
        contents[f"tables/{table.name}.jsonl"] = data
        counts[table.name] = data.count(b"\n")
    for stored in session.exec(select(StoredFile).order_by(StoredFile.id)).scalars():
        path = stored_path(workspace.files_dir, stored)
        contents[f"files/{path.parent.name}/{path.name}"] = read_stored(workspace.files_dir, stored)
    contents["rules.json"] = json.dumps(
        workspace.registry.hashes, indent=2, sort_keys=True
    ).encode()
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "schema_revision": current_revision(session.connection()),
        "tables": counts,
        "members": {
            path: hashlib.sha256(data).hexdigest() for path, data in sorted(contents.items())
        },
    }
    contents[MANIFEST] = json.dumps(manifest, indent=2).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in [MANIFEST, *sorted(contents.keys() - {MANIFEST})]:
            archive.writestr(path, contents[path])
    return buffer.getvalue()


def _read_archive(data: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            contents = {name: archive.read(name) for name in archive.namelist()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise BackupError(f"this is not a readable cetrack backup ({error})") from None
    except Exception as error:  # zlib errors on a damaged member
        raise BackupError(f"the backup is damaged ({type(error).__name__})") from None
    try:
        manifest = json.loads(contents.pop(MANIFEST))
    except (KeyError, ValueError):
        raise BackupError("the backup has no readable manifest.json") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("this is not a cetrack backup")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"the backup's format version {manifest.get('version')} is not {FORMAT_VERSION}"
        )
    members = manifest.get("members") or {}
    if set(members) != set(contents):
        raise BackupError("the backup's files do not match its manifest (damaged or altered)")
    for path, digest in members.items():
        if hashlib.sha256(contents[path]).hexdigest() != digest:
            raise BackupError(f"{path} does not match its checksum: the backup is damaged")
    return manifest, contents


def _is_empty(session: Session) -> bool:
    for model in TABLES:
        if session.execute(select(func.count()).select_from(model.__table__)).scalar_one():
            return False
    return True


def restore_backup(
    session: Session,
    workspace: Workspace,
    *,
    actor: Actor,
    data: bytes,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Restore an archive into this empty database; rows restored per table."""
    require(actor, Action.UPDATE, WholeDatabase())
    manifest, contents = _read_archive(data)
    revision = current_revision(session.connection())
    if manifest.get("schema_revision") != revision:
        raise BackupError(
            f"the backup is of schema {manifest.get('schema_revision')}, this database is at "
            f"{revision}; restore it with the cetrack version that wrote it"
        )
    if not _is_empty(session):
        raise BackupError("this database is not empty; restore into a new, empty database")
    restored = {}
    for model in TABLES:
        table = model.__table__
        if progress:
            progress(table.name)
        lines = contents[f"tables/{table.name}.jsonl"].decode("utf-8").splitlines()
        rows = [_decode(table, json.loads(line)) for line in lines if line]
        if rows:
            session.execute(insert(table), rows)
        restored[table.name] = len(rows)
        _reset_sequence(session, table)
    for path, content in contents.items():
        if path.startswith("files/"):
            _restore_file(session, workspace.files_dir / path.removeprefix("files/"), content)
    session.flush()
    return restored


def _restore_file(session: Session, target: Path, content: bytes) -> None:
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    target.chmod(0o600)
    on_rollback(session, lambda: target.unlink(missing_ok=True))


def _reset_sequence(session: Session, table: Table) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
