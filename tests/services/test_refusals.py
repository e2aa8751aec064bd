"""Every use case, tried across roles and organizations, is refused (on SQLite and
PostgreSQL). The world: Riverside Clinic (ada admin, hal HR, cam and cy clinicians) and Other Agency
(hx HR, oz clinician); cam holds a license, an activity and a certificate. Each attempt acts
on cam's records (or Riverside's) as someone who may not; `test_permission_coverage.py` checks
that every public service function appears here or elsewhere inside `pytest.raises(Forbidden)`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import select

from cetrack.db.models import Activity, Credential, Membership
from cetrack.inputs import ActivityInput
from cetrack.services import (
    accounts,
    activities,
    audit,
    audit_trail,
    backup,
    certificates,
    compliance,
    credentials,
    demo,
    evaluation,
    imports,
    invites,
    org_reports,
    ownership,
    people,
    reevaluation,
    reports,
    roster,
    verification,
)
from cetrack.services.errors import Forbidden
from cetrack.services.people import PersonDetails
from tests.services.helpers import TODAY, activity_data
from tests.services.organization import clinic

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSV = b"title,completed,amount,format\nEthics,2026-02-01,3,live_online\n"
ROSTER = b"name,email,roles\nNew Person,new@clinic.org,clinician\n"
OTHERS = ("oz@agency.org", "hx@agency.org")  # another organization's clinician and HR
COLLEAGUE = "cy@clinic.org"  # another clinician of cam's clinic
EVERYONE_ELSE = (*OTHERS, COLLEAGUE, "hal@clinic.org", "ada@clinic.org")


@dataclass
class World:
    place: object
    cam: object
    credential: Credential
    activity: Activity
    certificate: object
    ws: object


@pytest.fixture
def world(workspace):
    with workspace.transaction() as session:
        place = clinic(session)
        owner = place.actor(session, "cam@clinic.org")
        cam = people.get_person(session, actor=owner, person_id=owner.person_id)
        credential = credentials.add_credential(
            session,
            actor=owner,
            person=cam,
            data={"rule_id": "TX/LPC", "number": "9", "expires": "2027-06-30"},
            registry=workspace.registry,
            today=TODAY,
        )
        certificate = certificates.upload_certificate(
            session,
            actor=owner,
            person=cam,
            data=PDF,
            filename="c.pdf",
            files_dir=workspace.files_dir,
        )
        activity = activities.log_activity(
            session, actor=owner, person=cam, data=activity_data(), today=TODAY
        )
        return World(place, cam, credential, activity, certificate, workspace)


# Each attempt: (session, world, actor) -> anything; who tries it: one of the groups above.
WRITES = {
    "activities.log_activity": lambda s, w, a: activities.log_activity(
        s, actor=a, person=w.cam, data=activity_data(title="X"), today=TODAY
    ),
    "activities.add_activity": lambda s, w, a: activities.add_activity(
        s, actor=a, person=w.cam, data=ActivityInput(**activity_data(title="Y"))
    ),
    "activities.update_activity": lambda s, w, a: activities.update_activity(
        s,
        actor=a,
        activity_id=w.activity.id,
        data=activity_data(amount=9),
        today=TODAY,
        expected_version=None,
    ),
    "activities.detach_certificate": lambda s, w, a: activities.detach_certificate(
        s, actor=a, activity_id=w.activity.id, expected_version=None
    ),
    "activities.delete_activity": lambda s, w, a: activities.delete_activity(
        s, actor=a, activity_id=w.activity.id
    ),
    "activities.restore_activity": lambda s, w, a: activities.restore_activity(
        s, actor=a, activity_id=w.activity.id
    ),
    "certificates.upload_certificate": lambda s, w, a: certificates.upload_certificate(
        s, actor=a, person=w.cam, data=PDF, filename="x.pdf", files_dir=w.ws.files_dir
    ),
    "certificates.upload_if_given": lambda s, w, a: certificates.upload_if_given(
        s, actor=a, person=w.cam, upload=(PDF, "x.pdf"), files_dir=w.ws.files_dir
    ),
    "credentials.update_credential": lambda s, w, a: credentials.update_credential(
        s,
        actor=a,
        credential_id=w.credential.id,
        data={"rule_id": "TX/LPC", "number": "10"},
        registry=w.ws.registry,
        today=TODAY,
        expected_version=None,
    ),
    "credentials.remove_credential": lambda s, w, a: credentials.remove_credential(
        s, actor=a, credential_id=w.credential.id
    ),
    "credentials.restore_credential": lambda s, w, a: credentials.restore_credential(
        s, actor=a, credential_id=w.credential.id
    ),
    "credentials.attest_requirement": lambda s, w, a: credentials.attest_requirement(
        s,
        actor=a,
        credential_id=w.credential.id,
        data={"requirement": "x", "completed": "2026-01-01"},
        registry=w.ws.registry,
        today=TODAY,
        expected_version=None,
    ),
    "credentials.withdraw_attestation": lambda s, w, a: credentials.withdraw_attestation(
        s, actor=a, credential_id=w.credential.id, requirement="x", expected_version=None
    ),
    "imports.preview_ce_import": lambda s, w, a: imports.preview_ce_import(
        s, actor=a, person=w.cam, data=CSV, today=TODAY
    ),
    "imports.commit_ce_import": lambda s, w, a: imports.commit_ce_import(
        s, actor=a, person=w.cam, preview=imports.ImportPreview()
    ),
    "ownership.change_owned": lambda s, w, a: ownership.change_owned(
        s,
        w.activity,
        actor=a,
        data=ActivityInput(**activity_data(amount=7)),
        expected_version=None,
    ),
    "ownership.set_deleted": lambda s, w, a: ownership.set_deleted(
        s, w.activity, actor=a, deleted=True
    ),
    "ownership.add_owned": lambda s, w, a: ownership.add_owned(
        s, Activity(person_id=w.cam.id, **activity_data()), actor=a, data=PersonDetails(name="x")
    ),
}
# HR keeps the roster, so cam's own HR may enter a license and rename him; nobody else may
ROSTER_WRITES = {
    "people.update_person": lambda s, w, a: people.update_person(
        s, actor=a, person=w.cam, name="Renamed", birth_date=None, expected_version=None
    ),
    "credentials.add_credential": lambda s, w, a: credentials.add_credential(
        s, actor=a, person=w.cam, data={"rule_id": "FL/LMHC"}, registry=w.ws.registry, today=TODAY
    ),
    "roster.preview_roster": lambda s, w, a: roster.preview_roster(
        s,
        actor=a,
        organization=w.place.organization,
        data=ROSTER,
        registry=w.ws.registry,
        today=TODAY,
    ),
    "roster.commit_roster": lambda s, w, a: roster.commit_roster(
        s,
        actor=a,
        organization=w.place.organization,
        preview=roster.RosterPreview(w.place.organization.id),
        registry=w.ws.registry,
        today=TODAY,
    ),
    "roster.add_member": lambda s, w, a: roster.add_member(
        s,
        actor=a,
        organization=w.place.organization,
        name="Newcomer",
        email="newcomer@clinic.org",
        roles=["clinician"],
        today=TODAY,
    ),
    "roster.update_member": lambda s, w, a: roster.update_member(
        s,
        actor=a,
        membership_id=_membership_of(s, w.cam.id),
        name="Cam",
        roles=["clinician"],
        department="Night",
        expected_version=None,
        today=TODAY,
    ),
    "roster.set_member_active": lambda s, w, a: roster.set_member_active(
        s, actor=a, membership_id=_membership_of(s, w.cam.id), active=False
    ),
    "roster.members": lambda s, w, a: roster.members(s, actor=a, organization=w.place.organization),
    "verification.record_verification": lambda s, w, a: verification.record_verification(
        s,
        actor=a,
        credential_id=w.credential.id,
        data={"verified_on": "2026-11-01", "method": "phone", "result": "active"},
        evidence=None,
        registry=w.ws.registry,
        files_dir=w.ws.files_dir,
        today=TODAY,
    ),
    "verification.set_reverify_interval": lambda s, w, a: verification.set_reverify_interval(
        s, actor=a, organization=w.place.organization, days=90
    ),
    "compliance.compliance_rows": lambda s, w, a: compliance.compliance_rows(
        s, actor=a, organization=w.place.organization, registry=w.ws.registry, today=TODAY
    ),
    "compliance.filter_choices": lambda s, w, a: compliance.filter_choices(
        s, actor=a, organization=w.place.organization
    ),
    "compliance.compliance_summary": lambda s, w, a: compliance.compliance_summary(
        s, actor=a, organization=w.place.organization, registry=w.ws.registry, today=TODAY
    ),
    "compliance.count_rows": lambda s, w, a: compliance.count_rows(
        s, actor=a, organization=w.place.organization
    ),
    "invites.invite": lambda s, w, a: invites.invite(
        s, actor=a, organization=w.place.organization, person_id=w.cam.id
    ),
    "audit_trail.trail": lambda s, w, a: audit_trail.trail(
        s, actor=a, organization=w.place.organization
    ),
    "audit_trail.trail_csv": lambda s, w, a: audit_trail.trail_csv(
        s, actor=a, organization=w.place.organization
    ),
    "org_reports.organization_export": lambda s, w, a: org_reports.organization_export(
        s,
        actor=a,
        organization=w.place.organization,
        registry=w.ws.registry,
        today=TODAY,
        kind="xlsx",
    ),
    "compliance.bring_up_to_date": lambda s, w, a: compliance.bring_up_to_date(
        s, actor=a, organization=w.place.organization, registry=w.ws.registry, today=TODAY
    ),
}
# cam's own HR reads and exports these; another organization may not
READS = {
    "activities.get_activity": lambda s, w, a: activities.get_activity(
        s, actor=a, activity_id=w.activity.id
    ),
    "activities.list_activities": lambda s, w, a: activities.list_activities(
        s, actor=a, person=w.cam
    ),
    "activities.logged_keys": lambda s, w, a: activities.logged_keys(s, actor=a, person=w.cam),
    "audit.history": lambda s, w, a: audit.history(s, actor=a, person=w.cam),
    "certificates.get_certificate": lambda s, w, a: certificates.get_certificate(
        s, actor=a, certificate_id=w.certificate.id
    ),
    "certificates.certificates_of": lambda s, w, a: certificates.certificates_of(
        s, actor=a, person=w.cam, ids=[w.certificate.id]
    ),
    "certificates.read_certificate": lambda s, w, a: certificates.read_certificate(
        s, actor=a, certificate_id=w.certificate.id, files_dir=w.ws.files_dir
    ),
    "credentials.get_credential": lambda s, w, a: credentials.get_credential(
        s, actor=a, credential_id=w.credential.id
    ),
    "credentials.list_credentials": lambda s, w, a: credentials.list_credentials(
        s, actor=a, person=w.cam
    ),
    "evaluation.credential_statuses": lambda s, w, a: evaluation.credential_statuses(
        s, actor=a, person=w.cam, registry=w.ws.registry, today=TODAY
    ),
    "evaluation.credential_status": lambda s, w, a: evaluation.credential_status(
        s, actor=a, credential=w.credential, registry=w.ws.registry, today=TODAY
    ),
    "ownership.owned": lambda s, w, a: ownership.owned(
        s, Activity, actor=a, record_id=w.activity.id
    ),
    "people.get_person": lambda s, w, a: people.get_person(s, actor=a, person_id=w.cam.id),
    "people.find_person": lambda s, w, a: people.find_person(s, actor=a, email=w.cam.email),
    "reports.packet_bytes": lambda s, w, a: reports.packet_bytes(
        s, w.ws, actor=a, person=w.cam, today=TODAY
    ),
    "reports.calendar_bytes": lambda s, w, a: reports.calendar_bytes(
        s, w.ws, actor=a, person=w.cam, today=TODAY
    ),
    "reports.activities_csv": lambda s, w, a: reports.activities_csv(
        s, w.ws, actor=a, person=w.cam
    ),
    "reports.activities_xlsx": lambda s, w, a: reports.activities_xlsx(
        s, w.ws, actor=a, person=w.cam
    ),
    "reports.summary_pdf": lambda s, w, a: reports.summary_pdf(
        s, w.ws, actor=a, credential_id=w.credential.id, today=TODAY
    ),
    "verification.verification_history": lambda s, w, a: verification.verification_history(
        s, actor=a, credential_id=w.credential.id
    ),
}
# members read their organization; another organization's people may not find it
MEMBERS_ONLY = {
    "org_reports.find_organization": lambda s, w, a: org_reports.find_organization(
        s, actor=a, name="Riverside Clinic"
    ),
}
# cetrack's own work, or an admin's: refused to every signed-in person without the role
WHOLE = {
    "backup.backup_bytes": lambda s, w, a: backup.backup_bytes(s, w.ws, actor=a),
    "backup.restore_backup": lambda s, w, a: backup.restore_backup(s, w.ws, actor=a, data=b""),
    "audit.verify_chain": lambda s, w, a: audit.verify_chain(s, actor=a),
    "demo.load_demo": lambda s, w, a: demo.load_demo(s, w.ws, actor=a, today=TODAY),
    "evaluation.needing_evaluation": lambda s, w, a: evaluation.needing_evaluation(
        s, actor=a, registry=w.ws.registry, today=TODAY
    ),
    "evaluation.evaluate_persons": lambda s, w, a: evaluation.evaluate_persons(
        s, actor=a, person_ids=[w.cam.id], registry=w.ws.registry, today=TODAY
    ),
    "reevaluation.mark_stale": lambda s, w, a: reevaluation.mark_stale(
        w.ws.engine, w.ws.registry, TODAY, actor=a, everything=True
    ),
    "reevaluation.work": lambda s, w, a: reevaluation.work(
        w.ws.engine, w.ws.registry, TODAY, actor=a
    ),
}
# HR may add a person to the roster; a clinician may not
NEW_PEOPLE = {
    "people.create_person": lambda s, w, a: people.create_person(
        s, actor=a, email="someone@clinic.org", name="Someone", today=TODAY
    ),
}
ADMIN_ONLY = {
    "accounts.list_accounts": lambda s, w, a: accounts.list_accounts(s, actor=a),
    "accounts.account_of": lambda s, w, a: accounts.account_of(s, actor=a, email=w.cam.email),
    "accounts.reset_password": lambda s, w, a: accounts.reset_password(
        s, actor=a, account_id=_account_of(s, w.cam.id), password="another long password"
    ),
    "accounts.set_status": lambda s, w, a: accounts.set_status(
        s, actor=a, account_id=_account_of(s, w.cam.id), active=False
    ),
    "accounts.add_account": lambda s, w, a: accounts.add_account(
        s,
        actor=a,
        organization=w.place.organization,
        email="boss@clinic.org",
        name="Boss",
        roles=["admin"],
        password="another long password",
        today=TODAY,
    ),
}


def _membership_of(session, person_id):
    return session.exec(select(Membership.id).where(Membership.person_id == person_id)).one()


def _account_of(session, person_id):
    from cetrack.db.models import Account

    return session.exec(select(Account.id).where(Account.person_id == person_id)).one()


CASES = (
    [(name, who) for name in WRITES for who in EVERYONE_ELSE]
    + [(name, who) for name in ROSTER_WRITES for who in (*OTHERS, COLLEAGUE)]
    + [(name, who) for name in READS for who in (*OTHERS, COLLEAGUE)]
    + [(name, who) for name in WHOLE for who in (*EVERYONE_ELSE, "cam@clinic.org")]
    + [(name, who) for name in MEMBERS_ONLY for who in OTHERS]
    + [(name, who) for name in NEW_PEOPLE for who in ("oz@agency.org", COLLEAGUE)]
    + [(name, who) for name in ADMIN_ONLY for who in (*OTHERS, COLLEAGUE, "hal@clinic.org")]
)
ATTEMPTS = {
    **WRITES,
    **ROSTER_WRITES,
    **READS,
    **MEMBERS_ONLY,
    **WHOLE,
    **NEW_PEOPLE,
    **ADMIN_ONLY,
}


@pytest.mark.parametrize(("name", "who"), CASES, ids=[f"{name}-{who}" for name, who in CASES])
def test_the_attempt_is_refused(world, name, who):
    ws = world.ws
    with ws.transaction() as session:
        actor = world.place.actor(session, who)
    with pytest.raises(Forbidden), ws.transaction() as session:
        ATTEMPTS[name](session, world, actor)


def test_each_attempt_calls_the_function_it_is_named_for():
    import ast
    import inspect

    for name, attempt in ATTEMPTS.items():
        source = inspect.getsource(attempt)
        calls = {
            f"{node.func.value.id}.{node.func.attr}"
            for node in ast.walk(ast.parse(source[source.index("lambda") :].rstrip(",\n")))
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
        }
        assert name in calls, f"the attempt named {name} calls {sorted(calls)}"
