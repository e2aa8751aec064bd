"""The demo clinician's records, gathered as the exports receive them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import select

from cetrack.db.models import Activity, Certificate, Person
from cetrack.exports.records import CredentialReport
from cetrack.services import activities, certificates, credentials, evaluation
from cetrack.services.demo import load_demo
from tests.services.helpers import TODAY

# Completed before the TX and NY cycles began (2025-07-01), so those rules exclude it with a
# reason; its title has characters Latin-1 cannot encode.
EARLIER_ACTIVITY = {
    "title": "Ethics \u2014 \u201cDual relationships\u201d in \u0151 rural practice",
    "provider": "Rural Counseling Institute",
    "completed": date(2024, 3, 1),
    "hours": 2,
    "categories": ["ethics"],
    "format": "in_person",
}


@dataclass(frozen=True)
class Records:
    person: Person
    reports: list[CredentialReport]
    activities: list[Activity]
    certificates: dict[int, Certificate]
    files: dict[int, bytes]

    def report(self, rule_id: str) -> CredentialReport:
        return next(report for report in self.reports if report.rule.id == rule_id)


@pytest.fixture
def demo(workspace) -> Records:
    with workspace.transaction() as session:
        person = load_demo(session, workspace, today=TODAY)
        activities.log_activity(session, person=person, data=EARLIER_ACTIVITY, today=TODAY)
    with workspace.transaction() as session:
        statuses = evaluation.credential_statuses(
            session,
            person=person,
            credentials=credentials.list_credentials(session, person=person),
            registry=workspace.registry,
            today=TODAY,
        )
        logged = activities.list_activities(session, person=person)
        stored = {certificate.id: certificate for certificate in session.exec(select(Certificate))}
    return Records(
        person=person,
        reports=[CredentialReport(s.credential, s.rule, s.result, s.error) for s in statuses],
        activities=logged,
        certificates=stored,
        files={
            certificate_id: certificates.read_certificate(workspace.files_dir, certificate)
            for certificate_id, certificate in stored.items()
        },
    )
