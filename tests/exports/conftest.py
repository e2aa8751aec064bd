"""The demo clinician's records, gathered as the exports receive them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import select

from cetrack.db.models import Activity, Certificate, Person, StoredFile
from cetrack.exports.records import CertificateFile, CredentialReport
from cetrack.services import activities, certificates, evaluation
from cetrack.services.actor import Actor
from cetrack.services.demo import load_demo
from tests.services.helpers import TODAY, me

# Completed before the TX and NY cycles began (2025-07-01), so those rules exclude it with a
# reason; its title has characters Latin-1 cannot encode.
EARLIER_ACTIVITY = {
    "title": "Ethics \u2014 \u201cDual relationships\u201d in \u0151 rural practice",
    "provider": "Rural Counseling Institute",
    "completed": date(2024, 3, 1),
    "amount": 2,
    "categories": ["ethics"],
    "format": "in_person",
}


@dataclass(frozen=True)
class Records:
    person: Person
    reports: list[CredentialReport]
    activities: list[Activity]
    certificates: dict[int, CertificateFile]

    def report(self, rule_id: str) -> CredentialReport:
        return next(report for report in self.reports if report.rule.id == rule_id)


@pytest.fixture
def demo(workspace) -> Records:
    with workspace.transaction() as session:
        person = load_demo(session, workspace, actor=Actor.system(), today=TODAY)
        activities.log_activity(
            session, actor=me(person), person=person, data=EARLIER_ACTIVITY, today=TODAY
        )
    with workspace.transaction() as session:
        statuses = evaluation.credential_statuses(
            session, actor=me(person), person=person, registry=workspace.registry, today=TODAY
        )
        logged = activities.list_activities(session, actor=me(person), person=person)
        stored = {
            certificate.id: CertificateFile(
                filename=certificate.filename,
                sha256=blob.sha256,
                media_type=blob.media_type,
                data=certificates.read_stored(workspace.files_dir, blob),
            )
            for certificate, blob in session.exec(select(Certificate, StoredFile).join(StoredFile))
        }
    return Records(
        person=person,
        reports=[CredentialReport(s.credential, s.rule, s.result, s.error) for s in statuses],
        activities=logged,
        certificates=stored,
    )
