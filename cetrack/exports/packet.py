"""The audit packet: one ZIP with a summary per credential, the CE log, every certificate and a
manifest of each file's size and SHA-256, so a board can check nothing changed in transit.

The same records give the same bytes: files are written in a fixed order with a fixed time.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import PurePosixPath

from cetrack.db.models import Activity, Person
from cetrack.engine.joint_plan import JointPlan
from cetrack.exports.pdf import audit_summary_pdf
from cetrack.exports.records import CertificateFile, CredentialReport
from cetrack.exports.tables import activity_frame, to_csv
from cetrack.media import named_as

MANIFEST = "manifest.json"


def audit_packet(
    person: Person,
    reports: Sequence[CredentialReport],
    activities: Sequence[Activity],
    certificates: Mapping[int, CertificateFile],
    *,
    as_of: date,
    joint: JointPlan | None = None,
) -> bytes:
    """`certificates` maps the certificate ids of the activities and of the credentials'
    attestations to the person's files (already checked against their hashes)."""
    contents: dict[str, bytes] = {}
    for report in reports:
        path = summary_path(report)
        if path in contents:  # two credentials under the same rule
            path = path.removesuffix(".pdf") + f"-{report.credential.id}.pdf"
        contents[path] = audit_summary_pdf(person, report, activities, as_of=as_of, joint=joint)
    paths = {
        activity.id: certificate_path(activity.id, certificates[activity.certificate_id])
        for activity in activities
        if activity.certificate_id is not None
    }
    frame = activity_frame(activities, certificates, certificate_paths=paths)
    contents["activities.csv"] = to_csv(frame)
    for activity in activities:
        if activity.id in paths:
            contents[paths[activity.id]] = certificates[activity.certificate_id].data
    for report in reports:  # certificates backing an attested one-time requirement
        for item in report.credential.attestations:
            certificate = certificates.get(item.get("certificate_id"))
            if certificate:
                name = safe_filename(named_as(certificate.filename, certificate.media_type))
                path = f"certificates/attested-{report.credential.id}-{item['requirement']}-{name}"
                contents[path] = certificate.data
    manifest = {
        "generated": as_of.isoformat(),
        "person": {"name": person.name, "email": person.email},
        "files": [
            {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for path, data in sorted(contents.items())
        ],
    }
    contents[MANIFEST] = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
    return zip_archive(contents, as_of)


def summary_path(report: CredentialReport) -> str:
    return f"summary/{report.rule.id.replace('/', '_')}.pdf"


def certificate_path(activity_id: int, certificate: CertificateFile) -> str:
    """Where the packet holds an activity's certificate, named by its real type."""
    name = safe_filename(named_as(certificate.filename, certificate.media_type))
    return f"certificates/{activity_id}-{name}"


def safe_filename(filename: str) -> str:
    """The file's own name with only letters, digits, "_" and "-" around one extension."""
    path = PurePosixPath(filename.replace("\\", "/"))
    stem = _plain(path.stem)[:120] or "certificate"
    extension = _plain(path.suffix)
    return f"{stem}.{extension}" if extension else stem


def _plain(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")


def zip_archive(contents: Mapping[str, bytes], as_of: date) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in [MANIFEST, *sorted(contents.keys() - {MANIFEST})]:
            info = zipfile.ZipInfo(path, date_time=(as_of.year, as_of.month, as_of.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, contents[path])
    return buffer.getvalue()
