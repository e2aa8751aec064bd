"""Exports of a person's records: gathered here, built by `cetrack.exports`.

Every function reads through the policy: the person's credentials that are not removed, their
activities that are not deleted, and the certificates of theirs those activities point to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd
from sqlmodel import Session

from cetrack.db.models import Activity, Person, utcnow
from cetrack.engine.joint_plan import JointPlan
from cetrack.exports.ics import DEFAULT_ALARM_DAYS, calendar_ics
from cetrack.exports.packet import audit_packet
from cetrack.exports.pdf import audit_summary_pdf
from cetrack.exports.records import CertificateFile, CredentialReport
from cetrack.exports.tables import activity_frame, to_csv, to_xlsx
from cetrack.services import plan
from cetrack.services.activities import list_activities
from cetrack.services.actor import Actor
from cetrack.services.certificates import certificates_of, read_stored
from cetrack.services.credentials import get_credential
from cetrack.services.evaluation import CredentialStatus, credential_status, credential_statuses
from cetrack.services.policy import Action, require
from cetrack.services.workspace import Workspace


def packet_bytes(
    session: Session, workspace: Workspace, *, actor: Actor, person: Person, today: date
) -> bytes:
    """The audit packet (ZIP): a summary per credential, the CE log, certificates, manifest."""
    require(actor, Action.EXPORT, person)
    activities = list_activities(session, actor=actor, person=person)
    reports, joint = _reports_and_plan(session, workspace, actor, person, today)
    attested = {
        item["certificate_id"]
        for report in reports
        for item in report.credential.attestations
        if item.get("certificate_id")
    }
    certificates = _certificates(
        session, workspace, actor, person, activities, with_data=True, also=attested
    )
    return audit_packet(person, reports, activities, certificates, as_of=today, joint=joint)


def calendar_bytes(
    session: Session,
    workspace: Workspace,
    *,
    actor: Actor,
    person: Person,
    today: date,
    alarms: Sequence[int] = DEFAULT_ALARM_DAYS,
) -> bytes:
    """Deadlines and milestones (.ics), each with reminders `alarms` days before."""
    require(actor, Action.EXPORT, person)
    reports, joint = _reports_and_plan(session, workspace, actor, person, today)
    return calendar_ics(person, reports, stamp=utcnow(), alarm_days=alarms, joint=joint)


def activities_csv(
    session: Session, workspace: Workspace, *, actor: Actor, person: Person
) -> bytes:
    return to_csv(_frame(session, workspace, actor, person))


def activities_xlsx(
    session: Session, workspace: Workspace, *, actor: Actor, person: Person
) -> bytes:
    return to_xlsx(_frame(session, workspace, actor, person))


def summary_pdf(
    session: Session, workspace: Workspace, *, actor: Actor, credential_id: int, today: date
) -> bytes:
    """The audit summary of one credential the actor may export."""
    credential = get_credential(session, actor=actor, credential_id=credential_id)
    person = session.get(Person, credential.person_id)
    require(actor, Action.EXPORT, person)
    activities = list_activities(session, actor=actor, person=person)
    status = credential_status(
        session, actor=actor, credential=credential, registry=workspace.registry, today=today
    )
    joint = plan.joint_plan(
        session, actor=actor, person=person, registry=workspace.registry, today=today
    )
    return audit_summary_pdf(person, _report(status), activities, as_of=today, joint=joint)


def _reports_and_plan(
    session: Session, workspace: Workspace, actor: Actor, person: Person, today: date
) -> tuple[list[CredentialReport], JointPlan | None]:
    """Every credential's report and the plan across them, from one read of the statuses."""
    statuses = credential_statuses(
        session, actor=actor, person=person, registry=workspace.registry, today=today
    )
    joint = plan.joint_plan(
        session,
        actor=actor,
        person=person,
        registry=workspace.registry,
        today=today,
        statuses=statuses,
    )
    return [_report(status) for status in statuses], joint


def _report(status: CredentialStatus) -> CredentialReport:
    return CredentialReport(status.credential, status.rule, status.result, status.error)


def _certificates(
    session: Session,
    workspace: Workspace,
    actor: Actor,
    person: Person,
    activities: Sequence[Activity],
    *,
    with_data: bool,
    also: Iterable[int] = (),
) -> dict[int, CertificateFile]:
    """The activities' certificates (and those of `also`, e.g. attestations), by id."""
    ids = {activity.certificate_id for activity in activities if activity.certificate_id}
    ids |= set(also)
    return {
        certificate_id: CertificateFile(
            filename=certificate.filename,
            sha256=stored.sha256,
            media_type=stored.media_type,
            data=read_stored(workspace.files_dir, stored) if with_data else b"",
        )
        for certificate_id, (certificate, stored) in certificates_of(
            session, actor=actor, person=person, ids=ids
        ).items()
    }


def _frame(session: Session, workspace: Workspace, actor: Actor, person: Person) -> pd.DataFrame:
    require(actor, Action.EXPORT, person)
    activities = list_activities(session, actor=actor, person=person)
    certificates = _certificates(session, workspace, actor, person, activities, with_data=False)
    return activity_frame(activities, certificates)
