"""Primary-source verification on SQLite and PostgreSQL: HR records a look-up of a member's
license with evidence; a later one supersedes it and neither is ever edited; nobody verifies
their own license or another organization's."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from cetrack.db.models import AuditEvent, Certificate, Verification
from cetrack.services import certificates, credentials, people, verification
from cetrack.services.errors import Forbidden, InputError
from tests.services.helpers import TODAY
from tests.services.organization import clinic

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LOOKED_UP = {"verified_on": "2026-11-20", "method": "online_lookup", "result": "active"}


def license_of(session, workspace, place, email, rule_id="TX/LPC"):
    owner = place.actor(session, email)
    person = people.get_person(session, actor=owner, person_id=owner.person_id)
    return credentials.add_credential(
        session,
        actor=owner,
        person=person,
        data={"rule_id": rule_id, "number": "123", "expires": "2027-06-30"},
        registry=workspace.registry,
        today=TODAY,
    )


def verify(session, workspace, actor, credential, data=LOOKED_UP, evidence=None):
    return verification.record_verification(
        session,
        actor=actor,
        credential_id=credential.id,
        data=data,
        evidence=evidence,
        registry=workspace.registry,
        files_dir=workspace.files_dir,
        today=TODAY,
    )


def test_hr_records_a_verification_with_evidence_and_a_later_one_supersedes_it(workspace):
    with workspace.transaction() as session:
        place = clinic(session)
        held = license_of(session, workspace, place, "cam@clinic.org")
        hr = place.actor(session, "hal@clinic.org")
        first = verify(session, workspace, hr, held, evidence=(PDF, "board lookup.pdf"))
        assert first.url == workspace.registry.get("TX/LPC").verification_url
        assert first.organization_id == place.organization.id
        evidence = session.get(Certificate, first.evidence_certificate_id)
        assert evidence.person_id == hr.person_id  # owned by the verifier, checked like any upload
        assert (
            certificates.read_certificate(
                session, actor=hr, certificate_id=evidence.id, files_dir=workspace.files_dir
            )[1]
            == PDF
        )
        second = verify(
            session, workspace, hr, held, data={**LOOKED_UP, "verified_on": "2026-11-22"}
        )
        assert second.supersedes_id == first.id
        cam = place.actor(session, "cam@clinic.org")
        history = verification.verification_history(session, actor=cam, credential_id=held.id)
        assert [(entry.verification.id, entry.current) for entry in history] == [
            (second.id, True),
            (first.id, False),
        ]
        stored = session.get(Verification, first.id)
        assert stored.verified_on == date(2026, 11, 20)  # the superseded one is kept as it was
        events = session.exec(select(AuditEvent).where(AuditEvent.entity == "verification"))
        assert [event.detail["supersedes"] for event in events] == [None, first.id]


def test_a_verification_is_refused_to_everyone_but_the_licensees_hr(workspace):
    with workspace.transaction() as session:
        place = clinic(session)
        held = license_of(session, workspace, place, "cam@clinic.org")
        hal_license = license_of(session, workspace, place, "hal@clinic.org")
        for email in ("cam@clinic.org", "ada@clinic.org", "hx@agency.org", "oz@agency.org"):
            with pytest.raises(Forbidden):
                verify(session, workspace, place.actor(session, email), held)
        with pytest.raises(Forbidden):  # HR does not verify its own license
            verify(session, workspace, place.actor(session, "hal@clinic.org"), hal_license)
        with pytest.raises(Forbidden):
            verification.verification_history(
                session, actor=place.actor(session, "oz@agency.org"), credential_id=held.id
            )
        with pytest.raises(Forbidden):
            verification.set_reverify_interval(
                session,
                actor=place.actor(session, "cam@clinic.org"),
                organization=place.organization,
                days=30,
            )
        assert session.exec(select(Verification)).all() == []


@pytest.mark.parametrize(
    ("data", "evidence", "field"),
    [
        ({**LOOKED_UP, "verified_on": "2026-12-31"}, None, "verified_on"),
        ({**LOOKED_UP, "method": "guess"}, None, "method"),
        ({**LOOKED_UP, "result": "fine"}, None, "result"),
        (LOOKED_UP, (b"<html>not evidence</html>", "page.html"), "certificate"),
        (LOOKED_UP, (b"", "empty.pdf"), "certificate"),
    ],
)
def test_bad_verifications_are_refused_with_a_reason(workspace, data, evidence, field):
    with workspace.transaction() as session:
        place = clinic(session)
        held = license_of(session, workspace, place, "cam@clinic.org")
        hr = place.actor(session, "hal@clinic.org")
        with pytest.raises(InputError) as refused:
            verify(session, workspace, hr, held, data=data, evidence=evidence)
    assert field in refused.value.errors


def test_the_interval_is_set_by_hr_within_bounds(workspace):
    with workspace.transaction() as session:
        place = clinic(session)
        hr = place.actor(session, "hal@clinic.org")
        verification.set_reverify_interval(
            session, actor=hr, organization=place.organization, days=180
        )
        assert place.organization.reverify_days == 180
        with pytest.raises(InputError):
            verification.set_reverify_interval(
                session, actor=hr, organization=place.organization, days=0
            )
