"""The audit packet: every file is listed in the manifest with a size and SHA-256 that match."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pandas as pd
import pytest
from pypdf import PdfReader
from sqlmodel import select

from cetrack.db.models import Activity, Credential, StoredFile
from cetrack.exports.packet import audit_packet, safe_filename
from cetrack.exports.records import CertificateFile, CredentialReport
from cetrack.services import certificates, reports
from cetrack.services.errors import ExportError
from tests.services.helpers import TODAY, me


def build(demo, reports=None) -> bytes:
    return audit_packet(
        demo.person,
        demo.reports if reports is None else reports,
        demo.activities,
        demo.certificates,
        as_of=TODAY,
    )


def open_packet(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_manifest_lists_every_other_file_with_its_size_and_sha256(demo):
    files = open_packet(build(demo))
    manifest = json.loads(files.pop("manifest.json"))
    assert manifest["generated"] == TODAY.isoformat()
    assert manifest["person"] == {"name": demo.person.name, "email": demo.person.email}
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(files)
    for path, data in files.items():
        assert listed[path]["size"] == len(data)
        assert listed[path]["sha256"] == hashlib.sha256(data).hexdigest()


def test_every_certificate_is_in_the_packet_unchanged(demo):
    files = open_packet(build(demo))
    with_certificates = [a for a in demo.activities if a.certificate_id]
    assert with_certificates
    for activity in with_certificates:
        certificate = demo.certificates[activity.certificate_id]
        data = files[f"certificates/{activity.id}-{safe_filename(certificate.filename)}"]
        assert hashlib.sha256(data).hexdigest() == certificate.sha256
        assert data == certificate.data
    assert len([path for path in files if path.startswith("certificates/")]) == len(
        with_certificates
    )


def test_a_summary_per_credential_and_the_ce_log(demo):
    files = open_packet(build(demo))
    for report in demo.reports:
        path = f"summary/{report.rule.id.replace('/', '_')}.pdf"
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(files[path])).pages)
        assert report.rule.id in text and report.result.deadline.isoformat() in text
    log = pd.read_csv(io.BytesIO(files["activities.csv"]), encoding="utf-8-sig")
    assert sorted(log["id"]) == sorted(activity.id for activity in demo.activities)


def test_the_same_records_give_the_same_packet_in_a_fixed_order(demo):
    data = build(demo)
    assert build(demo) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    assert names[0] == "manifest.json" and names[1:] == sorted(names[1:])


def test_a_damaged_certificate_stops_the_packet(demo, workspace):
    with workspace.transaction() as session:
        blob = session.exec(select(StoredFile)).first()
        path = certificates.stored_path(workspace.files_dir, blob)
        path.write_bytes(path.read_bytes() + b"tampered")
        with pytest.raises(ExportError, match="is damaged"):
            reports.packet_bytes(
                session, workspace, actor=me(demo.person), person=demo.person, today=TODAY
            )


def test_two_credentials_under_one_rule_get_two_summaries(demo):
    report = demo.report("TX/LPC")
    twin = Credential(**dict(report.credential.model_dump(), id=999, number="LPC 99999"))
    reports = [report, CredentialReport(twin, report.rule, report.result)]
    files = open_packet(build(demo, reports=reports))
    assert {path for path in files if path.startswith("summary/")} == {
        "summary/TX_LPC.pdf",
        "summary/TX_LPC-999.pdf",
    }


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("Ethics and Boundaries.pdf", "Ethics_and_Boundaries.pdf"),
        ("EMDR Basic Training, Part 1.pdf", "EMDR_Basic_Training_Part_1.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\cert.PDF", "cert.PDF"),
        ("\u00e9.png", "certificate.png"),
        ("...", "certificate"),
    ],
)
def test_certificate_names_are_safe_in_any_archive_tool(filename, expected):
    assert safe_filename(filename) == expected


def test_two_activities_with_one_certificate_each_get_a_copy(demo):
    activity = next(a for a in demo.activities if a.certificate_id)
    again = Activity(**{**activity.model_dump(), "id": 999})
    files = open_packet(
        audit_packet(
            demo.person,
            [],
            [activity, again],
            demo.certificates,
            as_of=TODAY,
        )
    )
    name = safe_filename(demo.certificates[activity.certificate_id].filename)
    assert files[f"certificates/{activity.id}-{name}"] == files[f"certificates/999-{name}"]


def test_the_ce_log_names_each_certificate_as_the_packet_holds_it(demo):
    """Issue 7, defect 11: `activities.csv` names the file exactly as stored in the ZIP, and
    a certificate recorded under a misleading name is packed by its real type."""
    activity = next(a for a in demo.activities if a.certificate_id)
    certificates = dict(demo.certificates)
    original = certificates[activity.certificate_id]
    certificates[activity.certificate_id] = CertificateFile(
        filename="setup.exe",
        sha256=original.sha256,
        media_type=original.media_type,
        data=original.data,
    )
    files = open_packet(audit_packet(demo.person, [], [activity], certificates, as_of=TODAY))
    rows = pd.read_csv(
        io.BytesIO(files["activities.csv"]), keep_default_na=False, encoding="utf-8-sig"
    )
    (named,) = [name for name in rows["certificate_file"] if name]
    assert named == f"certificates/{activity.id}-setup.pdf"
    assert files[named] == original.data
