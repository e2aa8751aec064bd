"""Certificates: type checked by content, size limit, bytes stored once by hash, and each
upload owned by one person (nobody reaches another person's file)."""

from __future__ import annotations

import hashlib

import pytest
from sqlmodel import select

from cetrack.db.models import StoredFile
from cetrack.services import activities, certificates, reports
from cetrack.services.errors import Forbidden, InputError
from tests.services.helpers import TODAY, activity_data, log, me, new_person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(session, workspace, person, data=PDF, filename="certificate.pdf"):
    return certificates.upload_certificate(
        session,
        actor=me(person),
        person=person,
        data=data,
        filename=filename,
        files_dir=workspace.files_dir,
    )


def files_on_disk(workspace) -> list:
    if not workspace.files_dir.exists():
        return []
    return [path for path in workspace.files_dir.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    "data, media_type, name",
    [
        (PDF, "application/pdf", "passwd.pdf"),
        (PNG, "image/png", "passwd.png"),
        (JPEG, "image/jpeg", "passwd.jpg"),
    ],
)
def test_accepted_types_are_recognised_by_content(workspace, data, media_type, name):
    """The name keeps no folders and takes the extension of the type found in the bytes."""
    with workspace.transaction() as session:
        person = new_person(session)
        certificate = upload(session, workspace, person, data, "../../etc/passwd.pdf")
    assert certificate.filename == name
    with workspace.transaction() as session:
        stored = session.get(StoredFile, certificate.file_id)
        _, read = certificates.read_certificate(
            session, actor=me(person), certificate_id=certificate.id, files_dir=workspace.files_dir
        )
    assert (stored.media_type, stored.sha256) == (media_type, hashlib.sha256(data).hexdigest())
    assert certificates.stored_path(workspace.files_dir, stored).is_relative_to(workspace.files_dir)
    assert read == data


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
    with workspace.transaction() as session:
        person = new_person(session)
    with pytest.raises(InputError) as caught, workspace.transaction() as session:
        upload(session, workspace, person, data)
    assert message in caught.value.errors["certificate"]
    assert files_on_disk(workspace) == []


def test_the_same_bytes_are_stored_once_but_each_person_has_their_own_link(workspace):
    """Two people upload identical bytes: one file, two links, each with its own name; the
    second person's CSV and packet show their own file name, never the first's."""
    with workspace.transaction() as session:
        first = new_person(session)
        second = new_person(session, email="second@example.org")
        mine = upload(session, workspace, first, filename="pat-private-name.pdf")
        theirs = upload(session, workspace, second, filename="mine.pdf")
        log(session, second, certificate_id=None)
        activity = activities.log_activity(
            session,
            actor=me(second),
            person=second,
            data=activity_data(title="Another course"),
            today=TODAY,
            certificate_id=theirs.id,
        )
    assert mine.id != theirs.id and mine.file_id == theirs.file_id
    assert len(files_on_disk(workspace)) == 1
    with workspace.transaction() as session:
        csv = reports.activities_csv(session, workspace, actor=me(second), person=second)
        packet = reports.packet_bytes(
            session, workspace, actor=me(second), person=second, today=TODAY
        )
    assert b"mine.pdf" in csv and b"pat-private-name" not in csv
    assert f"certificates/{activity.id}-mine.pdf".encode() in packet
    assert b"pat-private-name" not in packet


def test_nobody_can_attach_read_or_export_another_persons_certificate(workspace):
    with workspace.transaction() as session:
        owner = new_person(session)
        other = new_person(session, email="other@example.org")
        certificate = upload(session, workspace, owner)
        other_activity = log(session, other)
    with pytest.raises(InputError) as caught, workspace.transaction() as session:
        activities.log_activity(
            session,
            actor=me(other),
            person=other,
            data=activity_data(title="Copy"),
            today=TODAY,
            certificate_id=certificate.id,
        )
    assert "not one of yours" in caught.value.errors["certificate"]
    with pytest.raises(InputError), workspace.transaction() as session:
        activities.update_activity(
            session,
            actor=me(other),
            activity_id=other_activity.id,
            data=activity_data(),
            today=TODAY,
            expected_version=other_activity.version,
            certificate_id=certificate.id,
        )
    with pytest.raises(Forbidden), workspace.transaction() as session:
        certificates.read_certificate(
            session, actor=me(other), certificate_id=certificate.id, files_dir=workspace.files_dir
        )
    with workspace.transaction() as session:
        csv = reports.activities_csv(session, workspace, actor=me(other), person=other)
        assert b"certificate.pdf" not in csv


def test_upload_replace_and_detach_are_in_the_audit_trail(workspace):
    from cetrack.services import audit

    with workspace.transaction() as session:
        person = new_person(session)
        first = upload(session, workspace, person)
        activity = activities.log_activity(
            session,
            actor=me(person),
            person=person,
            data=activity_data(),
            today=TODAY,
            certificate_id=first.id,
        )
    with workspace.transaction() as session:
        second = upload(session, workspace, person, PNG, "scan.png")
        activity = activities.update_activity(
            session,
            actor=me(person),
            activity_id=activity.id,
            data=activity_data(),
            today=TODAY,
            expected_version=activity.version,
            certificate_id=second.id,
        )
    with workspace.transaction() as session:
        detached = activities.detach_certificate(
            session, actor=me(person), activity_id=activity.id, expected_version=activity.version
        )
        assert detached.certificate_id is None
        actions = [
            event.action for event in audit.history(session, actor=me(person), person=person)
        ]
    assert {"upload", "replace", "detach"} <= set(actions)
    assert actions.count("upload") == 2


def test_a_file_written_by_a_failed_save_is_removed(workspace):
    """The certificate is stored, then the activity is refused: nothing remains."""
    with workspace.transaction() as session:
        person = new_person(session)
    with pytest.raises(InputError), workspace.transaction() as session:
        certificate = upload(session, workspace, person)
        activities.log_activity(
            session,
            actor=me(person),
            person=person,
            data=activity_data(amount=-1),
            today=TODAY,
            certificate_id=certificate.id,
        )
    assert files_on_disk(workspace) == []
    with workspace.transaction() as session:
        assert session.exec(select(StoredFile)).all() == []


@pytest.mark.parametrize(
    "filename, data, stored",
    [
        ("setup.exe", PDF, "setup.pdf"),
        ("certificate.html", PDF, "certificate.pdf"),
        ("scan", PNG, "scan.png"),
        ("Photo.JPEG", JPEG, "Photo.jpeg"),
        ("CERT.PDF", PDF, "CERT.pdf"),
    ],
)
def test_a_certificate_is_named_by_its_detected_type(workspace, filename, data, stored):
    """Issue 7, defect 11: a PDF uploaded as setup.exe is stored (and packed) as .pdf."""
    with workspace.transaction() as session:
        person = new_person(session)
        certificate = upload(session, workspace, person, data, filename)
    assert certificate.filename == stored
