"""The roster on SQLite and PostgreSQL: a CSV preview writes nothing and reports every row; a
commit writes the ready rows once, even twice over; HR grants staff roles only; deactivating
keeps the records."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from cetrack.db.models import Account, AuditEvent, Credential, Membership, Person
from cetrack.services import roster
from cetrack.services.errors import Forbidden, InputError, StaleEdit
from tests.services.helpers import TODAY
from tests.services.organization import clinic

HEADER = "name,email,roles,department,license_state,license_type,license_number,license_expires\n"
FILE = (
    HEADER
    + "Dana Reyes,dana@clinic.org,clinician,Outpatient,TX,LPC,111,2027-06-30\n"
    + "Dana Reyes,dana@clinic.org,clinician,Outpatient,FL,LMHC,MH 2,03/31/2027\n"
    + "Lee Park,lee@clinic.org,clinician;supervisor,Adult,,,,\n"
    + "Cam,cam@clinic.org,clinician,,TX,LCSW,55,2027-01-31\n"
    + "Bad Row,not-an-email,clinician,,TX,LPC,1,2027-01-01\n"
    + "Boss,boss@clinic.org,admin,,,,,\n"
    + "Zed,zed@clinic.org,clinician,,ZZ,LPC,9,2027-01-01\n"
)


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def preview(session, workspace, place, actor, data=FILE):
    return roster.preview_roster(
        session,
        actor=actor,
        organization=place.organization,
        data=data.encode(),
        registry=workspace.registry,
        today=TODAY,
    )


def test_a_preview_reports_each_row_and_writes_nothing(workspace):
    with workspace.transaction() as session:
        place = clinic(session)
        hr = place.actor(session, "hal@clinic.org")
        before = [count(session, model) for model in (Person, Membership, Credential)]
        found = preview(session, workspace, place, hr)
        after = [count(session, model) for model in (Person, Membership, Credential)]
    assert before == after
    by_line = {line.line: line for line in found.lines}
    assert [by_line[n].outcome for n in range(2, 9)] == [
        "ready",
        "ready",
        "ready",
        "ready",
        "rejected",
        "rejected",
        "rejected",
    ]
    assert by_line[2].message == "new person; adds TX/LPC 111 (expires 2027-06-30)"
    assert "expires 2027-03-31" in by_line[3].message  # MM/DD/YYYY read
    assert by_line[5].message.startswith("on the roster; adds TX/LCSW")
    assert "email" in by_line[6].message
    assert "may not grant the role(s) admin" in by_line[7].message
    assert "no rules for ZZ/LPC" in by_line[8].message


def test_committing_writes_the_ready_rows_once_even_twice(workspace):
    with workspace.transaction() as session:
        place = clinic(session)
        hr = place.actor(session, "hal@clinic.org")
        found = preview(session, workspace, place, hr)
    for _ in range(2):  # a double click commits the same preview twice
        with workspace.transaction() as session:
            outcome = roster.commit_roster(
                session,
                actor=place.actor(session, "hal@clinic.org"),
                organization=place.organization,
                preview=found,
                registry=workspace.registry,
                today=TODAY,
            )
    assert (outcome.people_added, outcome.licenses_added) == (0, 0)
    with workspace.transaction() as session:
        dana = session.exec(select(Person).where(Person.email == "dana@clinic.org")).one()
        held = session.exec(select(Credential.rule_id).where(Credential.person_id == dana.id))
        assert sorted(held) == ["FL/LMHC", "TX/LPC"]
        lee = session.exec(select(Person).where(Person.email == "lee@clinic.org")).one()
        membership = session.exec(select(Membership).where(Membership.person_id == lee.id)).one()
        assert membership.roles == ["clinician", "supervisor"]
        assert membership.department == "Adult"
        assert count(session, Credential) == 3
        imports = session.exec(select(AuditEvent).where(AuditEvent.entity == "roster")).all()
        assert [event.detail["licenses"] for event in imports] == [3, 0]
        again = preview(session, workspace, place, place.actor(session, "hal@clinic.org"))
    assert again.count("ready") == 0 and again.count("already on file") == 4


def test_the_file_must_be_a_readable_roster(workspace):
    with workspace.transaction() as session:
        place = clinic(session)
        hr = place.actor(session, "hal@clinic.org")
        with pytest.raises(InputError, match="missing column"):
            preview(session, workspace, place, hr, data="name,department\nA,B\n")
        with pytest.raises(InputError, match="UTF-8"):
            roster.preview_roster(
                session,
                actor=hr,
                organization=place.organization,
                data=b"\xff\xfe\x00name",
                registry=workspace.registry,
                today=TODAY,
            )
        repeated = preview(
            session,
            workspace,
            place,
            hr,
            data=HEADER
            + "A,a@clinic.org,clinician,,,,,\n"
            + "A Other,a@clinic.org,clinician,,TX,LPC,1,2027-01-01\n",
        )
    assert "another name" in repeated.lines[1].message


def test_only_hr_and_admins_of_the_organization_keep_its_roster(workspace):
    with workspace.transaction() as session:
        place = clinic(session)
        for email in ("cam@clinic.org", "hx@agency.org"):
            with pytest.raises(Forbidden):
                preview(session, workspace, place, place.actor(session, email))
            with pytest.raises(Forbidden):
                roster.members(
                    session, actor=place.actor(session, email), organization=place.organization
                )
        admin = place.actor(session, "ada@clinic.org")
        found = preview(session, workspace, place, admin)
        assert found.count("ready") == 5  # an admin may grant admin


def test_members_are_added_edited_and_deactivated_with_their_records_kept(workspace):
    with workspace.transaction() as session:
        place = clinic(session)
        hr = place.actor(session, "hal@clinic.org")
        roster.add_member(
            session,
            actor=hr,
            organization=place.organization,
            name="Ria Moss",
            email="RIA@clinic.org",
            roles=["clinician"],
            department="Intake",
            today=TODAY,
        )
        with pytest.raises(InputError, match="already on the roster"):
            roster.add_member(
                session,
                actor=hr,
                organization=place.organization,
                name="Ria",
                email="ria@clinic.org",
                roles=["clinician"],
                today=TODAY,
            )
        with pytest.raises(Forbidden):  # HR grants staff roles only
            roster.add_member(
                session,
                actor=hr,
                organization=place.organization,
                name="Eve",
                email="eve@clinic.org",
                roles=["hr"],
                today=TODAY,
            )
        hr = place.actor(session, "hal@clinic.org")  # read again, as each page view does
        rows = {
            row.email: row
            for row in roster.members(session, actor=hr, organization=place.organization)
        }
        ria, cam = rows["ria@clinic.org"], rows["cam@clinic.org"]
        assert (ria.department, ria.account) == ("Intake", "none")
        roster.update_member(
            session,
            actor=hr,
            membership_id=ria.membership_id,
            name="Ria Moss-Lee",
            roles=["clinician", "supervisor"],
            department="Adult",
            expected_version=ria.version,
            today=TODAY,
        )
        with pytest.raises(StaleEdit):
            roster.update_member(
                session,
                actor=hr,
                membership_id=ria.membership_id,
                name="Ria",
                roles=["clinician"],
                department="Intake",
                expected_version=ria.version,
                today=TODAY,
            )
        with pytest.raises(Forbidden):  # HR cannot make anyone an admin
            roster.update_member(
                session,
                actor=hr,
                membership_id=cam.membership_id,
                name="Cam",
                roles=["admin"],
                department="",
                expected_version=None,
                today=TODAY,
            )
        roster.set_member_active(session, actor=hr, membership_id=cam.membership_id, active=False)
        account = session.exec(select(Account).where(Account.person_id == cam.person_id)).one()
        assert account.status == "deactivated"
        rows = {
            row.email: row
            for row in roster.members(session, actor=hr, organization=place.organization)
        }
        assert rows["cam@clinic.org"].active is False  # still listed, records kept
        assert rows["ria@clinic.org"].name == "Ria Moss-Lee"
        assert rows["ria@clinic.org"].roles == ("clinician", "supervisor")
        with pytest.raises(Forbidden):  # HR's own membership grants hr: an admin's to change
            roster.set_member_active(
                session, actor=hr, membership_id=rows["hal@clinic.org"].membership_id, active=False
            )
        with pytest.raises(InputError, match="yourself"):
            roster.set_member_active(
                session,
                actor=place.actor(session, "ada@clinic.org"),
                membership_id=rows["ada@clinic.org"].membership_id,
                active=False,
            )
        with pytest.raises(Forbidden):  # another organization's HR
            roster.set_member_active(
                session,
                actor=place.actor(session, "hx@agency.org"),
                membership_id=ria.membership_id,
                active=False,
            )
