"""Certificate files: checked by content (PDF, PNG, JPEG; up to 10 MB), their bytes stored once
by SHA-256 outside any path a user chooses, and each upload a link owned by one person.

Nobody reaches bytes except through a `Certificate` of their own: the same content uploaded by
two people is two links with two names. A transaction that fails removes the file it wrote.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from sqlmodel import Session, select

from cetrack.db.engine import on_rollback
from cetrack.db.models import Certificate, Person, StoredFile
from cetrack.db.statements import insert_ignore
from cetrack.importers.certificate_pdf import CertificateFields, read_certificate_fields
from cetrack.media import extension, named_as, sniff
from cetrack.services import audit
from cetrack.services.actor import Actor
from cetrack.services.errors import ExportError, InputError, NotFound
from cetrack.services.policy import Action, require

MAX_BYTES = 10 * 1024 * 1024


def check_file(data: bytes) -> str:
    """The media type of an acceptable certificate; InputError otherwise."""
    if not data:
        raise InputError({"certificate": "the file is empty"})
    if len(data) > MAX_BYTES:
        megabytes = len(data) / 1024 / 1024
        raise InputError({"certificate": f"the file is {megabytes:.1f} MB; the limit is 10 MB"})
    media_type = sniff(data)
    if media_type is None:
        raise InputError({"certificate": "only PDF, PNG or JPEG files are accepted"})
    return media_type


def fields_from_upload(data: bytes) -> CertificateFields:
    """What an uploaded certificate's text shows (title, provider, date, hours, approvals),
    to fill in the log form; an acceptable file without a text layer (a scan, an image)
    returns `has_text=False`. InputError for a file that is not an acceptable certificate."""
    if check_file(data) != "application/pdf":
        return CertificateFields(has_text=False)
    return read_certificate_fields(data)


def safe_name(filename: str, media_type: str) -> str:
    """The uploaded file's own name, without folders or unusual characters, with the
    extension of its detected type."""
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[^A-Za-z0-9._ -]", "_", name).strip(" .")
    return named_as(name[:200] or "certificate", media_type)


def stored_path(files_dir: Path, stored: StoredFile) -> Path:
    suffix = extension(stored.media_type)
    return files_dir / stored.sha256[:2] / f"{stored.sha256}{suffix}"


def upload_certificate(
    session: Session, *, actor: Actor, person: Person, data: bytes, filename: str, files_dir: Path
) -> Certificate:
    """Store a file for `person` and return their link to it."""
    certificate = Certificate(person_id=person.id, file_id=0, filename="")
    require(actor, Action.CREATE, certificate)
    media_type = check_file(data)
    certificate.filename = safe_name(filename, media_type)
    digest = hashlib.sha256(data).hexdigest()
    inserted = insert_ignore(
        session,
        StoredFile,
        {"sha256": digest, "media_type": media_type, "size": len(data)},
        unique=["sha256"],
    )
    stored = session.exec(select(StoredFile).where(StoredFile.sha256 == digest)).one()
    path = stored_path(files_dir, stored)
    if _write_atomically(path, data) and inserted:
        on_rollback(session, lambda: path.unlink(missing_ok=True))
    certificate.file_id = stored.id
    session.add(certificate)
    session.flush()
    audit.record(
        session,
        actor=actor,
        person_id=person.id,
        action="upload",
        entity="certificate",
        entity_id=certificate.id,
        detail={"filename": certificate.filename, "sha256": digest, "size": len(data)},
    )
    return certificate


def upload_if_given(
    session: Session,
    *,
    actor: Actor,
    person: Person,
    upload: tuple[bytes, str] | None,
    files_dir: Path,
) -> int | None:
    """The id of the person's new certificate for `upload` (bytes, file name), if any."""
    if upload is None:
        return None
    data, filename = upload
    return upload_certificate(
        session, actor=actor, person=person, data=data, filename=filename, files_dir=files_dir
    ).id


def _write_atomically(target: Path, data: bytes) -> bool:
    """Write the file unless it is there already; True if this call wrote it."""
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def get_certificate(session: Session, *, actor: Actor, certificate_id: int) -> Certificate:
    certificate = session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound(f"no certificate {certificate_id}")
    require(actor, Action.READ, certificate)
    return certificate


def certificates_of(
    session: Session, *, actor: Actor, person: Person, ids: set[int]
) -> dict[int, tuple[Certificate, StoredFile]]:
    """The person's certificates among `ids`, with their stored files."""
    require(actor, Action.READ, person)
    if not ids:
        return {}
    rows = session.exec(
        select(Certificate, StoredFile)
        .join(StoredFile, StoredFile.id == Certificate.file_id)
        .where(Certificate.id.in_(ids), Certificate.person_id == person.id)
    )
    return {certificate.id: (certificate, stored) for certificate, stored in rows}


def read_certificate(
    session: Session, *, actor: Actor, certificate_id: int, files_dir: Path
) -> tuple[Certificate, bytes]:
    """A certificate of the actor's and its bytes, checked against the stored hash."""
    certificate = get_certificate(session, actor=actor, certificate_id=certificate_id)
    stored = session.get(StoredFile, certificate.file_id)
    return certificate, read_stored(files_dir, stored)


def read_stored(files_dir: Path, stored: StoredFile) -> bytes:
    """A stored file's bytes; ExportError when it is missing or does not match its hash."""
    path = stored_path(files_dir, stored)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExportError(
            f"the stored file {stored.sha256[:12]}… cannot be read: {error.strerror}"
        ) from None
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise ExportError(f"the stored file {stored.sha256[:12]}… is damaged (its hash differs)")
    return data
