"""Compact credentials through the database (SQLite and PostgreSQL): a privilege stands on a
home credential of the same person, follows it when it lapses, is renewed or removed, and
says so in the calendar and the PDF summary."""

from __future__ import annotations

import io
from datetime import date

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from cetrack.db.models import Credential, Person
from cetrack.services import credentials, evaluation, reports
from cetrack.services.errors import Forbidden, InputError
from tests.services.helpers import TODAY, me, new_person

PRIVILEGE = "compact/COUNSELING-PRIVILEGE"


def add(session, workspace, person, **data):
    return credentials.add_credential(
        session,
        actor=me(person),
        person=person,
        data=data,
        registry=workspace.registry,
        today=TODAY,
    )


def status_of(session, workspace, person, credential):
    return evaluation.credential_status(
        session, actor=me(person), credential=credential, registry=workspace.registry, today=TODAY
    )


def update(session, workspace, person, credential, **data):
    return credentials.update_credential(
        session,
        actor=me(person),
        credential_id=credential.id,
        data=data,
        registry=workspace.registry,
        today=TODAY,
        expected_version=credential.version,
    )


def change_home(session, workspace, person, home, *, expires, status="active"):
    """The home TX/LPC renewed, lapsed or set inactive."""
    update(
        session,
        workspace,
        person,
        home,
        rule_id=home.rule_id,
        number=home.number,
        expires=expires,
        status=status,
    )


def attest_jurisprudence(session, workspace, person, credential):
    credentials.attest_requirement(
        session,
        actor=me(person),
        credential_id=credential.id,
        data={"requirement": "remote_jurisprudence", "completed": date(2026, 1, 20)},
        registry=workspace.registry,
        today=TODAY,
        expected_version=credential.version,
    )


@pytest.fixture
def holder(workspace):
    """A Texas LPC (expiring 2027-06-30) with a Colorado privilege standing on it."""
    with workspace.transaction() as session:
        person = new_person(session)
        home = add(
            session, workspace, person, rule_id="TX/LPC", number="LPC 1", expires=date(2027, 6, 30)
        )
        privilege = add(
            session,
            workspace,
            person,
            rule_id=PRIVILEGE,
            issued=date(2026, 2, 2),
            home_credential_id=home.id,
            remote_state="co",
        )
        return person.id, home.id, privilege.id


def _load(session, holder):
    person_id, home_id, privilege_id = holder
    return (
        session.get(Person, person_id),
        session.get(Credential, home_id),
        session.get(Credential, privilege_id),
    )


def test_a_privilege_expires_with_its_home_license_and_waits_for_its_jurisprudence(
    workspace, holder
):
    with workspace.transaction() as session:
        person, _, privilege = _load(session, holder)
        assert privilege.expires is None and privilege.remote_state == "CO"
        result = status_of(session, workspace, person, privilege).result
        assert (result.status, result.deadline) == ("incomplete", date(2027, 6, 30))
        assert result.home.rule == "TX/LPC" and result.home.valid
        attest_jurisprudence(session, workspace, person, privilege)
    with workspace.transaction() as session:
        person, _, privilege = _load(session, holder)
        result = status_of(session, workspace, person, privilege).result
        assert result.status == "compliant"
        assert result.home.jurisprudence_done_on == date(2026, 1, 20)


def test_a_lapsed_home_license_invalidates_the_privilege_until_it_is_renewed(workspace, holder):
    with workspace.transaction() as session:
        person, home, privilege = _load(session, holder)
        attest_jurisprudence(session, workspace, person, privilege)
        status_of(session, workspace, person, privilege)  # stored while valid
        change_home(session, workspace, person, home, expires=date(2026, 6, 30))
    with workspace.transaction() as session:
        person, home, privilege = _load(session, holder)
        result = status_of(session, workspace, person, privilege).result
        assert result.status == "invalid" and result.home.standing == "lapsed"
        assert result.deadline == date(2026, 6, 30)
        change_home(session, workspace, person, home, expires=date(2028, 6, 30))
    with workspace.transaction() as session:
        person, home, privilege = _load(session, holder)
        result = status_of(session, workspace, person, privilege).result
        assert result.status == "compliant" and result.deadline == date(2028, 6, 30)


def test_an_inactive_or_removed_home_license_invalidates_the_privilege(workspace, holder):
    with workspace.transaction() as session:
        person, home, privilege = _load(session, holder)
        change_home(session, workspace, person, home, expires=date(2027, 6, 30), status="inactive")
    with workspace.transaction() as session:
        person, home, privilege = _load(session, holder)
        assert status_of(session, workspace, person, privilege).result.home.standing == "inactive"
        credentials.remove_credential(session, actor=me(person), credential_id=home.id)
    with workspace.transaction() as session:
        person, home, privilege = _load(session, holder)
        result = status_of(session, workspace, person, privilege).result
        assert result.status == "invalid" and result.home.standing == "missing"


def test_psypact_apit_stands_on_the_epassport_which_stands_on_the_license(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        license_ = add(
            session, workspace, person, rule_id="TX/PSYCHOLOGIST", expires=date(2027, 10, 31)
        )
        passport = add(
            session,
            workspace,
            person,
            rule_id="compact/PSYPACT-EPASSPORT",
            issued=date(2024, 3, 1),
            expires=date(2027, 2, 28),
            home_credential_id=license_.id,
        )
        apit = add(
            session,
            workspace,
            person,
            rule_id="compact/PSYPACT-APIT",
            issued=date(2024, 3, 5),
            home_credential_id=passport.id,
        )
        result = status_of(session, workspace, person, apit).result
        assert result.status == "compliant" and result.deadline == date(2027, 2, 28)
        change_home(
            session, workspace, person, license_, expires=date(2027, 10, 31), status="inactive"
        )
        result = status_of(session, workspace, person, apit).result
        assert result.status == "invalid" and result.home.standing == "home_invalid"
        assert result.home.home.standing == "inactive"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "home_credential_id", "choose the credential"),
        ({"home": "lcsw", "remote_state": "CO"}, "home_credential_id", "does not stand on TX/LCSW"),
        ({"home": "lpc"}, "remote_state", "enter the state"),
        ({"home": "lpc", "remote_state": "TX"}, "remote_state", "cannot be the home state"),
        ({"home": "lpc", "remote_state": "ZZ"}, "remote_state", "not a state cetrack knows"),
        ({"home": "lpc", "remote_state": "Colorado"}, "remote_state", "two letters"),
        ({"home": "other", "remote_state": "CO"}, "home_credential_id", "no such credential"),
    ],
)
def test_a_privilege_that_cannot_stand_is_refused_beside_its_field(workspace, data, field, message):
    with workspace.transaction() as session:
        person = new_person(session)
        other = new_person(session, email="sam@example.org")
        homes = {
            "lpc": add(session, workspace, person, rule_id="TX/LPC", expires=date(2027, 6, 30)),
            "lcsw": add(session, workspace, person, rule_id="TX/LCSW", expires=date(2027, 6, 30)),
            "other": add(session, workspace, other, rule_id="TX/LPC", expires=date(2027, 6, 30)),
        }
        fields = {"rule_id": PRIVILEGE, "remote_state": data.get("remote_state", "")}
        if "home" in data:
            fields["home_credential_id"] = homes[data["home"]].id
        with pytest.raises(InputError) as refused:
            add(session, workspace, person, **fields)
    assert message in refused.value.errors[field]


def test_the_social_work_compact_cannot_be_added_until_licenses_are_issued(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        home = add(session, workspace, person, rule_id="TX/LCSW", expires=date(2027, 6, 30))
        with pytest.raises(InputError) as refused:
            add(
                session,
                workspace,
                person,
                rule_id="compact/SW-MULTISTATE",
                home_credential_id=home.id,
            )
    assert "not issued yet" in refused.value.errors["rule_id"]


def test_a_license_is_not_given_a_home_and_privileges_differ_by_remote_state(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        home = add(session, workspace, person, rule_id="TX/LPC", expires=date(2027, 6, 30))
        with pytest.raises(InputError) as refused:
            add(session, workspace, person, rule_id="FL/LMHC", home_credential_id=home.id)
        assert "not a compact credential" in refused.value.errors["home_credential_id"]
        for state in ("CO", "UT"):
            add(
                session,
                workspace,
                person,
                rule_id=PRIVILEGE,
                home_credential_id=home.id,
                remote_state=state,
            )
        with pytest.raises(InputError) as twice:
            add(
                session,
                workspace,
                person,
                rule_id=PRIVILEGE,
                home_credential_id=home.id,
                remote_state="CO",
            )
    assert "already hold" in twice.value.errors["rule_id"]


def test_home_choices_are_the_persons_own_eligible_credentials_and_nobody_elses(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        other = new_person(session, email="sam@example.org")
        lpc = add(session, workspace, person, rule_id="TX/LPC", expires=date(2027, 6, 30))
        add(session, workspace, person, rule_id="TX/LCSW", expires=date(2027, 6, 30))
        rule = workspace.registry.get(PRIVILEGE)
        choices = credentials.home_choices(
            session, actor=me(person), person=person, rule=rule, registry=workspace.registry
        )
        assert [choice.id for choice in choices] == [lpc.id]
        with pytest.raises(Forbidden):
            credentials.home_choices(
                session, actor=me(other), person=person, rule=rule, registry=workspace.registry
            )


def test_the_calendar_and_the_summary_show_what_the_privilege_stands_on(workspace, holder):
    with workspace.transaction() as session:
        person, _, privilege = _load(session, holder)
        calendar = Calendar.from_ical(
            reports.calendar_bytes(session, workspace, actor=me(person), person=person, today=TODAY)
        )
        pdf = reports.summary_pdf(
            session, workspace, actor=me(person), credential_id=privilege.id, today=TODAY
        )
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert f"{PRIVILEGE} expires with TX/LPC" in summaries
    event = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith(PRIVILEGE))
    assert event.decoded("DTSTART") == date(2027, 6, 30)
    assert "Expires with TX/LPC on 2027-06-30" in str(event["DESCRIPTION"])
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Expires with TX/LPC on 2027-06-30" in " ".join(text.split())
