"""Certificate uploads: type checked by content, size limit, stored once by hash."""

from __future__ import annotations

import hashlib

import pytest

from cetrack.services import certificates
from cetrack.services.errors import InputError

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.mark.parametrize(
    "data, media_type", [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")]
)
def test_accepted_types_are_recognised_by_content(workspace, data, media_type):
    with workspace.transaction() as session:
        stored = certificates.store_certificate(
            session, data=data, filename="../../etc/passwd.pdf", files_dir=workspace.files_dir
        )
    assert stored.media_type == media_type
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.filename == "passwd.pdf"
    path = certificates.stored_path(workspace.files_dir, stored)
    assert path.is_relative_to(workspace.files_dir)
    assert certificates.read_certificate(workspace.files_dir, stored) == data


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "the file is empty"),
        (b"MZ\x90\x00 an executable named certificate.pdf", "only PDF, PNG or JPEG"),
        (b"<html>not a pdf</html>", "only PDF, PNG or JPEG"),
        (PDF + b"0" * (10 * 1024 * 1024), "the limit is 10 MB"),
    ],
)
def test_rejected_files(workspace, data, message):
    with pytest.raises(InputError) as caught, workspace.transaction() as session:
        certificates.store_certificate(
            session, data=data, filename="certificate.pdf", files_dir=workspace.files_dir
        )
    assert message in caught.value.errors["certificate"]
    assert not workspace.files_dir.exists() or not any(workspace.files_dir.rglob("*.*"))


def test_the_same_file_is_stored_once(workspace):
    with workspace.transaction() as session:
        first = certificates.store_certificate(
            session, data=PDF, filename="a.pdf", files_dir=workspace.files_dir
        )
        second = certificates.store_certificate(
            session, data=PDF, filename="b.pdf", files_dir=workspace.files_dir
        )
    assert first.id == second.id
    assert len([path for path in workspace.files_dir.rglob("*") if path.is_file()]) == 1
