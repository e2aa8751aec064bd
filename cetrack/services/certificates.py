"""Certificate files: checked by content (PDF, PNG, JPEG; up to 10 MB) and stored once, by the
SHA-256 of their bytes, outside any path a user chooses."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from sqlmodel import Session, select

from cetrack.db.models import Certificate
from cetrack.services.errors import InputError

MAX_BYTES = 10 * 1024 * 1024
_SIGNATURES = {
    "application/pdf": (b"%PDF-", ".pdf"),
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png"),
    "image/jpeg": (b"\xff\xd8\xff", ".jpg"),
}


def sniff(data: bytes) -> str | None:
    """The media type the bytes really are, or None."""
    for media_type, (signature, _) in _SIGNATURES.items():
        if data.startswith(signature):
            return media_type
    return None


def _safe_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[^A-Za-z0-9._ -]", "_", name).strip(" .")
    return name[:200] or "certificate"


def stored_path(files_dir: Path, certificate: Certificate) -> Path:
    suffix = _SIGNATURES[certificate.media_type][1]
    return files_dir / certificate.sha256[:2] / f"{certificate.sha256}{suffix}"


def store_certificate(
    session: Session, *, data: bytes, filename: str, files_dir: Path
) -> Certificate:
    if not data:
        raise InputError({"certificate": "the file is empty"})
    if len(data) > MAX_BYTES:
        megabytes = len(data) / 1024 / 1024
        raise InputError({"certificate": f"the file is {megabytes:.1f} MB; the limit is 10 MB"})
    media_type = sniff(data)
    if media_type is None:
        raise InputError({"certificate": "only PDF, PNG or JPEG files are accepted"})
    digest = hashlib.sha256(data).hexdigest()
    existing = session.exec(select(Certificate).where(Certificate.sha256 == digest)).first()
    if existing:
        return existing
    certificate = Certificate(
        sha256=digest, filename=_safe_name(filename), media_type=media_type, size=len(data)
    )
    _write_atomically(stored_path(files_dir, certificate), data)
    session.add(certificate)
    session.flush()
    return certificate


def _write_atomically(target: Path, data: bytes) -> None:
    if target.exists():
        return
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


def read_certificate(files_dir: Path, certificate: Certificate) -> bytes:
    return stored_path(files_dir, certificate).read_bytes()
