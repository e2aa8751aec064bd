"""Exports of a person's own records: gathered here, built by `cetrack.exports`.

Every function reads only the records of `person`: their credentials that are not removed,
their activities that are not deleted, and the certificates those activities point to.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlmodel import Session, select

from cetrack.db.models import Activity, Certificate, Person, utcnow
from cetrack.exports.ics import DEFAULT_ALARM_DAYS, calendar_ics
from cetrack.exports.packet import CertificateMismatch, audit_packet
from cetrack.exports.pdf import audit_summary_pdf
from cetrack.exports.records import CredentialReport
from cetrack.exports.tables import activity_frame, to_csv, to_xlsx
from cetrack.services.activities import list_activities
from cetrack.services.certificates import read_certificate
from cetrack.services.credentials import get_credential, list_credentials
from cetrack.services.errors import ExportError
from cetrack.services.evaluation import CredentialStatus, credential_statuses, evaluate_credential
from cetrack.services.workspace import Workspace


def packet_bytes(session: Session, workspace: Workspace, *, person: Person, today: date) -> bytes:
    """The audit packet (ZIP): a summary per credential, the CE log, certificates, manifest."""
    activities = list_activities(session, person=person)
    certificates = _certificates(session, activities)
    try:
        files = {
            certificate_id: read_certificate(workspace.files_dir, certificate)
            for certificate_id, certificate in certificates.items()
        }
        return audit_packet(
            person,
            _reports(session, workspace, person, today),
            activities,
            certificates,
            files,
            as_of=today,
        )
    except (OSError, CertificateMismatch) as error:
        raise ExportError(str(error)) from error


def calendar_bytes(
    session: Session,
    workspace: Workspace,
    *,
    person: Person,
    today: date,
    alarms: Sequence[int] = DEFAULT_ALARM_DAYS,
) -> bytes:
    """Deadlines and milestones (.ics), each with reminders `alarms` days before."""
    reports = _reports(session, workspace, person, today)
    return calendar_ics(person, reports, stamp=utcnow(), alarm_days=alarms)


def activities_csv(session: Session, *, person: Person) -> bytes:
    return to_csv(_frame(session, person))


def activities_xlsx(session: Session, *, person: Person) -> bytes:
    return to_xlsx(_frame(session, person))


def summary_pdf(
    session: Session, workspace: Workspace, *, person: Person, credential_id: int, today: date
) -> bytes:
    """The audit summary of one of the person's credentials; NotFound for anyone else's."""
    credential = get_credential(session, person=person, credential_id=credential_id)
    activities = list_activities(session, person=person)
    status = evaluate_credential(
        session,
        person=person,
        credential=credential,
        registry=workspace.registry,
        today=today,
        activities=activities,
    )
    return audit_summary_pdf(person, _report(status), activities, as_of=today)


def _reports(
    session: Session, workspace: Workspace, person: Person, today: date
) -> list[CredentialReport]:
    statuses = credential_statuses(
        session,
        person=person,
        credentials=list_credentials(session, person=person),
        registry=workspace.registry,
        today=today,
    )
    return [_report(status) for status in statuses]


def _report(status: CredentialStatus) -> CredentialReport:
    return CredentialReport(status.credential, status.rule, status.result, status.error)


def _certificates(session: Session, activities: Sequence[Activity]) -> dict[int, Certificate]:
    ids = {activity.certificate_id for activity in activities if activity.certificate_id}
    if not ids:
        return {}
    rows = session.exec(select(Certificate).where(Certificate.id.in_(ids)))
    return {certificate.id: certificate for certificate in rows}


def _frame(session: Session, person: Person) -> pd.DataFrame:
    activities = list_activities(session, person=person)
    return activity_frame(activities, _certificates(session, activities))
