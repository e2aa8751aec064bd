"""Accounts on SQLite and PostgreSQL: the first admin turns them on, passwords are argon2id
hashes, failed sign-ins lock with a growing delay, and only an organization's admin manages
its accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from cetrack.db.models import Account, AuditEvent, utcnow
from cetrack.services import accounts, credentials, evaluation, people
from cetrack.services.actor import Actor
from cetrack.services.errors import Forbidden, InputError
from tests.services.helpers import TODAY, new_person

PASSWORD = "correct horse battery"


def first_admin(session, email="ada@clinic.org"):
    return accounts.first_admin(
        session,
        email=email,
        name="Ada Admin",
        password=PASSWORD,
        organization="Riverside Clinic",
        today=TODAY,
    )


def signed_in(session, email="ada@clinic.org", password=PASSWORD, now=None):
    outcome = accounts.sign_in(session, email=email, password=password, now=now)
    assert outcome.actor is not None, outcome.refused
    return outcome.actor


def test_the_first_admin_turns_accounts_on_and_signs_in(workspace):
    with workspace.transaction() as session:
        assert not accounts.accounts_enabled(session)
        account = first_admin(session)
        assert accounts.accounts_enabled(session)
        assert account.password_hash.startswith("$argon2id$")
        assert PASSWORD not in account.password_hash
        actor = signed_in(session, email=" ADA@clinic.org ")
    assert actor.account_id == account.id and {"admin", "clinician"} <= actor.roles
    with workspace.transaction() as session, pytest.raises(InputError) as again:
        first_admin(session, email="bob@clinic.org")
    assert "already on" in again.value.errors["email"]


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(workspace):
    with workspace.transaction() as session:
        first_admin(session)
        wrong = accounts.sign_in(session, email="ada@clinic.org", password="nope nope nope")
        unknown = accounts.sign_in(session, email="who@clinic.org", password=PASSWORD)
    assert wrong.actor is None and unknown.actor is None
    assert wrong.refused == unknown.refused == accounts.WRONG


def test_failed_sign_ins_lock_the_account_for_a_delay_that_doubles(workspace):
    with workspace.transaction() as session:
        first_admin(session)
    now, delays = utcnow(), []
    for _ in range(6):  # each attempt once the previous lock has passed
        with workspace.transaction() as session:
            accounts.sign_in(session, email="ada@clinic.org", password="wrong password!", now=now)
            locked_until = session.exec(select(Account)).one().locked_until
        lock = locked_until.replace(tzinfo=now.tzinfo) - now if locked_until else timedelta(0)
        delays.append(lock.total_seconds())
        now += lock + timedelta(seconds=1)
    assert delays == [0, 0, 30, 60, 120, 240]  # the first failures cost nothing but the count
    with workspace.transaction() as session:
        during = now - timedelta(seconds=200)  # inside the last, 240-second lock
        locked = accounts.sign_in(session, email="ada@clinic.org", password=PASSWORD, now=during)
        assert locked.actor is None and "try again in" in locked.refused
        assert signed_in(session, now=now)  # the lock passed: the right password works
        assert session.exec(select(Account)).one().failed_sign_ins == 0


def test_only_an_organizations_admin_adds_resets_and_deactivates_its_accounts(workspace):
    with workspace.transaction() as session:
        first_admin(session)
        admin = signed_in(session)
        clinic = accounts.organization_named(session, actor=admin, name="Riverside Clinic")
        clinician = accounts.add_account(
            session,
            actor=admin,
            organization=clinic,
            email="cam@clinic.org",
            name="Cam Lee",
            roles=["clinician"],
            password="another long password",
            today=TODAY,
        )
        cam = signed_in(session, email="cam@clinic.org", password="another long password")
        with pytest.raises(Forbidden):
            accounts.add_account(
                session,
                actor=cam,
                organization=clinic,
                email="eve@clinic.org",
                name="Eve",
                roles=["admin"],
                password="a password that is long",
                today=TODAY,
            )
        with pytest.raises(Forbidden):
            accounts.reset_password(
                session, actor=cam, account_id=clinician.id - 1, password="x" * 12
            )
        other = accounts.organization_named(session, actor=Actor.system(), name="Other Agency")
        with pytest.raises(Forbidden):
            accounts.add_account(
                session,
                actor=admin,
                organization=other,
                email="oz@agency.org",
                name="Oz",
                roles=["hr"],
                password="a password that is long",
                today=TODAY,
            )
        accounts.reset_password(
            session, actor=admin, account_id=clinician.id, password="a brand new password"
        )
        assert signed_in(session, email="cam@clinic.org", password="a brand new password")
        accounts.set_status(session, actor=admin, account_id=clinician.id, active=False)
        refused = accounts.sign_in(session, email="cam@clinic.org", password="a brand new password")
        assert refused.actor is None
        assert accounts.actor_for(session, clinician.id) is None  # signed-in sessions end too
        with pytest.raises(InputError):
            accounts.set_status(session, actor=admin, account_id=admin.account_id, active=False)
        emails = [row.email for row in accounts.list_accounts(session, actor=admin)]
        assert emails == ["ada@clinic.org", "cam@clinic.org"]
        with pytest.raises(Forbidden):  # a clinician administers no accounts
            accounts.list_accounts(session, actor=cam)


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"password": "short"}, "password"), ({"roles": ["boss"]}, "roles"), ({"roles": []}, "roles")],
)
def test_a_bad_password_or_role_is_refused_beside_its_field(workspace, changes, field):
    with workspace.transaction() as session:
        first_admin(session)
        admin = signed_in(session)
        clinic = accounts.organization_named(session, actor=admin, name="Riverside Clinic")
        data = {
            "email": "cam@clinic.org",
            "name": "Cam",
            "roles": ["clinician"],
            "password": "long enough password",
            **changes,
        }
        with pytest.raises(InputError) as refused:
            accounts.add_account(session, actor=admin, organization=clinic, today=TODAY, **data)
    assert field in refused.value.errors


def test_an_existing_clinician_becomes_the_first_admin_and_no_password_is_audited(workspace):
    with workspace.transaction() as session:
        person = new_person(session)  # the single-user clinician
        account = first_admin(session, email=person.email)
        assert account.person_id == person.id
        events = session.exec(select(AuditEvent)).all()
    assert all(PASSWORD not in str(event.detail) for event in events)
    assert all("argon2" not in str(event.detail) for event in events)


def test_hr_reads_its_organizations_people_and_nobody_elses(workspace):

    with workspace.transaction() as session:
        first_admin(session)
        admin = signed_in(session)
        clinic = accounts.organization_named(session, actor=admin, name="Riverside Clinic")
        other = accounts.organization_named(session, actor=Actor.system(), name="Other Agency")
        for email, roles, home in (
            ("cam@clinic.org", ["clinician"], clinic),
            ("hal@clinic.org", ["hr"], clinic),
            ("oz@agency.org", ["clinician"], other),
        ):
            accounts.add_account(
                session,
                actor=Actor.system(),
                organization=home,
                email=email,
                name=email,
                roles=roles,
                password=PASSWORD,
                today=TODAY,
            )
        for email in ("cam@clinic.org", "oz@agency.org"):
            owner = signed_in(session, email=email)
            person = people.get_person(session, actor=owner, person_id=owner.person_id)
            credentials.add_credential(
                session,
                actor=owner,
                person=person,
                registry=workspace.registry,
                today=TODAY,
                data={"rule_id": "TX/LPC", "expires": "2027-06-30"},
            )
        hr = signed_in(session, email="hal@clinic.org")
        cam = people.find_person(session, actor=hr, email="cam@clinic.org")
        statuses = evaluation.credential_statuses(
            session, actor=hr, person=cam, registry=workspace.registry, today=TODAY
        )
        assert [status.rule.id for status in statuses] == ["TX/LPC"]
        held = statuses[0].credential
        with pytest.raises(Forbidden):  # HR enters licenses on its roster, but changes none
            credentials.update_credential(
                session,
                actor=hr,
                credential_id=held.id,
                registry=workspace.registry,
                today=TODAY,
                data={"rule_id": "TX/LPC", "expires": "2029-06-30"},
                expected_version=held.version,
            )
        with pytest.raises(Forbidden):
            credentials.remove_credential(session, actor=hr, credential_id=held.id)
        with pytest.raises(Forbidden):  # another organization's clinician
            people.find_person(session, actor=hr, email="oz@agency.org")
        clinician = signed_in(session, email="cam@clinic.org")
        with pytest.raises(Forbidden):  # a clinician reads nobody else, HR included
            people.find_person(session, actor=clinician, email="hal@clinic.org")


def test_a_clinician_cannot_reach_accounts_organizations_or_other_people(workspace):
    with workspace.transaction() as session:
        first_admin(session)
        admin = signed_in(session)
        clinic = accounts.organization_named(session, actor=admin, name="Riverside Clinic")
        accounts.add_account(
            session,
            actor=admin,
            organization=clinic,
            email="cam@clinic.org",
            name="Cam",
            roles=["clinician"],
            password=PASSWORD,
            today=TODAY,
        )
        cam = signed_in(session, email="cam@clinic.org")
        with pytest.raises(Forbidden):  # only cetrack itself creates organizations
            accounts.organization_named(session, actor=admin, name="A New Agency")
        with pytest.raises(Forbidden):
            accounts.account_of(session, actor=cam, email="ada@clinic.org")
        with pytest.raises(Forbidden):
            accounts.set_status(session, actor=cam, account_id=admin.account_id, active=False)
        with pytest.raises(Forbidden):
            people.get_person(session, actor=cam, person_id=admin.person_id)
        assert people.get_person(session, actor=cam, person_id=cam.person_id).email == (
            "cam@clinic.org"
        )


def test_an_identity_providers_verified_email_signs_in_its_account(workspace):
    with workspace.transaction() as session:
        account = first_admin(session)
        signed = accounts.sign_in_with_identity(
            session, email="ADA@clinic.org", email_verified=True
        )
        assert signed.actor is not None and signed.actor.account_id == account.id
        unverified = accounts.sign_in_with_identity(
            session, email="ada@clinic.org", email_verified=False
        )
        assert unverified.actor is None and "did not confirm" in unverified.refused
        stranger = accounts.sign_in_with_identity(
            session, email="who@clinic.org", email_verified=True
        )
        assert stranger.actor is None and "no active cetrack account" in stranger.refused
        admin = signed_in(session)
        accounts.add_account(
            session,
            actor=admin,
            organization=accounts.organization_named(session, actor=admin, name="Riverside Clinic"),
            email="cam@clinic.org",
            name="Cam",
            roles=["clinician"],
            password=PASSWORD,
        )
        cam = accounts.account_of(session, actor=admin, email="cam@clinic.org")
        accounts.set_status(session, actor=admin, account_id=cam.id, active=False)
        gone = accounts.sign_in_with_identity(session, email="cam@clinic.org", email_verified=True)
        assert gone.actor is None
