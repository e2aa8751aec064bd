"""Credentials on SQLite and PostgreSQL: validation, derived expiration, reversible removal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from cetrack.db.models import AuditEvent
from cetrack.services import certificates, credentials, evaluation
from cetrack.services.errors import Forbidden, InputError, StaleEdit
from cetrack.wording import requirement_line
from tests.services.helpers import TODAY, me, new_person


def add(session, workspace, person, **data):
    return credentials.add_credential(
        session,
        actor=me(person),
        person=person,
        data=data,
        registry=workspace.registry,
        today=TODAY,
    )


def held(session, person, **options):
    return credentials.list_credentials(session, actor=me(person), person=person, **options)


def update(session, workspace, person, credential, data, *, version):
    return credentials.update_credential(
        session,
        actor=me(person),
        credential_id=credential.id,
        data=data,
        registry=workspace.registry,
        today=TODAY,
        expected_version=version,
    )


def test_expiration_is_computed_from_the_rule_when_not_given(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        fixed = add(session, workspace, person, rule_id="FL/LMHC", issued=date(2018, 5, 1))
        birth_month = add(session, workspace, person, rule_id="TX/LPC", issued=date(2015, 6, 15))
        printed = add(
            session,
            workspace,
            person,
            rule_id="PA/LPC",
            issued=date(2016, 1, 4),
            expires=date(2027, 2, 28),
        )
    assert fixed.expires == date(2027, 3, 31)
    assert birth_month.expires.month == 6 and birth_month.expires >= TODAY
    assert printed.expires == date(2027, 2, 28)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"rule_id": "ZZ/NOPE"}, "rule_id"),
        ({"rule_id": "FL/LMHC", "issued": date(2030, 1, 1)}, "issued"),
        (
            {"rule_id": "FL/LMHC", "issued": date(2020, 1, 1), "expires": date(2019, 1, 1)},
            "expires",
        ),
        ({"rule_id": "FL/LMHC", "status": "lapsed"}, "status"),
    ],
)
def test_invalid_credentials_are_refused_and_nothing_is_written(workspace, data, field):
    with workspace.transaction() as session:
        person = new_person(session)
    with pytest.raises(InputError) as caught, workspace.transaction() as session:
        add(session, workspace, person, **data)
    assert field in caught.value.errors
    with workspace.transaction() as session:
        assert held(session, person) == []


def test_a_birth_month_rule_without_birth_date_asks_for_the_printed_date(workspace):
    with workspace.transaction() as session:
        person = new_person(session, birth_date=None)
        with pytest.raises(InputError) as caught:
            add(session, workspace, person, rule_id="TX/LPC")
    # the person's words, not the scenario's field paths (issue 7, defect 10)
    assert caught.value.errors["expires"] == (
        "Enter your birth date (Your details, on the Licenses & certifications page) or the "
        "expiration printed on the license: this license expires by birth date."
    )


def test_remove_and_restore_with_an_audit_trail(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        credential = add(session, workspace, person, rule_id="IL/LCPC", issued=date(2017, 2, 1))
    with workspace.transaction() as session:
        credentials.remove_credential(session, actor=me(person), credential_id=credential.id)
    with workspace.transaction() as session:
        assert held(session, person) == []
        assert [c.id for c in held(session, person, removed=True)] == [credential.id]
        credentials.restore_credential(session, actor=me(person), credential_id=credential.id)
    with workspace.transaction() as session:
        assert [c.id for c in held(session, person)] == [credential.id]
        actions = session.exec(
            select(AuditEvent.action)
            .where(AuditEvent.entity == "credential")
            .order_by(AuditEvent.id)
        ).all()
    assert actions == ["create", "delete", "restore"]


def test_update_validates_and_keeps_the_previous_values_in_the_audit(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        credential = add(session, workspace, person, rule_id="NY/LCSW", expires=date(2027, 6, 30))
    with workspace.transaction() as session:
        update(
            session,
            workspace,
            person,
            credential,
            {"rule_id": "NY/LCSW", "number": "R-1", "expires": date(2027, 6, 30)},
            version=credential.version,
        )
    with workspace.transaction() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "update")).one()
        assert event.detail["before"]["number"] == ""
        assert (
            credentials.get_credential(
                session, actor=me(person), credential_id=credential.id
            ).number
            == "R-1"
        )


def test_one_person_cannot_reach_anothers_credentials(workspace):
    with workspace.transaction() as session:
        owner = new_person(session)
        other = new_person(session, email="other@example.org")
        credential = add(session, workspace, owner, rule_id="FL/LMHC", issued=date(2018, 5, 1))
    with pytest.raises(Forbidden), workspace.transaction() as session:
        credentials.remove_credential(session, actor=me(other), credential_id=credential.id)
    with pytest.raises(Forbidden), workspace.transaction() as session:
        credentials.list_credentials(session, actor=me(other), person=owner)


def test_the_same_license_twice_is_refused(workspace):
    """Same rule and same number (or none): a double click must not add it twice."""
    with workspace.transaction() as session:
        person = new_person(session)
        add(session, workspace, person, rule_id="FL/LMHC", issued=date(2018, 5, 1))
    for number in ("", " "):
        with pytest.raises(InputError) as caught, workspace.transaction() as session:
            add(session, workspace, person, rule_id="FL/LMHC", number=number)
        assert "you already hold FL/LMHC" in caught.value.errors["rule_id"]
    with workspace.transaction() as session:
        add(session, workspace, person, rule_id="FL/LMHC", number="MH 2", issued=date(2018, 5, 1))
        assert len(held(session, person)) == 2


def test_a_stale_credential_form_is_refused(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        credential = add(session, workspace, person, rule_id="NY/LCSW", expires=date(2027, 6, 30))
    opened = credential.version
    base = {"rule_id": "NY/LCSW", "expires": date(2027, 6, 30)}
    with workspace.transaction() as session:
        update(session, workspace, person, credential, {**base, "number": "R-1"}, version=opened)
    with pytest.raises(StaleEdit) as caught, workspace.transaction() as session:
        update(session, workspace, person, credential, {**base, "supervisor": True}, version=opened)
    assert caught.value.changed == {"number": ("", "R-1")}
    with workspace.transaction() as session:
        current = credentials.get_credential(session, actor=me(person), credential_id=credential.id)
    assert (current.number, current.supervisor) == ("R-1", False)


def _ca_lmft(session, workspace, person):
    return add(
        session,
        workspace,
        person,
        rule_id="CA/LMFT",
        issued=date(2021, 4, 20),
        expires=date(2027, 3, 31),
    )


def _hiv(session, workspace, person, credential_id):
    statuses = evaluation.credential_statuses(
        session, actor=me(person), person=person, registry=workspace.registry, today=TODAY
    )
    result = next(status.result for status in statuses if status.credential.id == credential_id)
    return next(item for item in result.requirements if item.id == "hiv_aids")


def test_an_attested_one_time_requirement_is_met_and_says_so(workspace):
    """Issue 7, defect 9: a CA LMFT licensed since 2021 was told the one-time 7 h HIV/AIDS
    course is owed unless an old course is logged."""
    with workspace.transaction() as session:
        person = new_person(session)
        credential = _ca_lmft(session, workspace, person)
        assert _hiv(session, workspace, person, credential.id).remaining == 7
    with workspace.transaction() as session:
        credentials.attest_requirement(
            session,
            actor=me(person),
            credential_id=credential.id,
            data={"requirement": "hiv_aids", "completed": "11/14/2020"},
            registry=workspace.registry,
            today=TODAY,
            expected_version=credential.version,
        )
    with workspace.transaction() as session:
        hiv = _hiv(session, workspace, person, credential.id)
        assert (hiv.remaining, hiv.attested_on) == (0, date(2020, 11, 14))
        assert requirement_line(hiv).endswith("met, attested: completed on 2020-11-14")
        events = session.exec(select(AuditEvent).where(AuditEvent.entity == "credential")).all()
        assert events[-1].detail["after"]["attestations"] == [
            {"requirement": "hiv_aids", "completed": "2020-11-14", "certificate_id": None}
        ]
    with workspace.transaction() as session:
        stored = credentials.get_credential(session, actor=me(person), credential_id=credential.id)
        credentials.withdraw_attestation(
            session,
            actor=me(person),
            credential_id=credential.id,
            requirement="hiv_aids",
            expected_version=stored.version,
        )
    with workspace.transaction() as session:
        assert _hiv(session, workspace, person, credential.id).remaining == 7


@pytest.mark.parametrize(
    "data, field",
    [
        ({"requirement": "law_ethics", "completed": "2020-11-14"}, "requirement"),
        ({"requirement": "hiv_aids", "completed": "2027-01-01"}, "completed"),
        ({"requirement": "hiv_aids", "completed": "1850-01-01"}, "completed"),
        ({"requirement": "hiv_aids", "completed": "14/11/2020"}, "completed"),
    ],
)
def test_an_attestation_is_refused_unless_it_names_a_one_time_requirement_and_a_past_day(
    workspace, data, field
):
    with workspace.transaction() as session:
        person = new_person(session)
        credential = _ca_lmft(session, workspace, person)
        with pytest.raises(InputError) as caught:
            credentials.attest_requirement(
                session,
                actor=me(person),
                credential_id=credential.id,
                data=data,
                registry=workspace.registry,
                today=TODAY,
                expected_version=credential.version,
            )
    assert field in caught.value.errors


def test_another_persons_certificate_cannot_back_an_attestation(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        other = new_person(session, email="other@example.org")
        credential = _ca_lmft(session, workspace, person)
        theirs = certificates.upload_certificate(
            session,
            actor=me(other),
            person=other,
            data=b"%PDF-1.4 x",
            filename="hiv.pdf",
            files_dir=workspace.files_dir,
        )
        with pytest.raises((Forbidden, InputError)):
            credentials.attest_requirement(
                session,
                actor=me(person),
                credential_id=credential.id,
                data={
                    "requirement": "hiv_aids",
                    "completed": "2020-11-14",
                    "certificate_id": theirs.id,
                },
                registry=workspace.registry,
                today=TODAY,
                expected_version=credential.version,
            )


def test_one_person_cannot_attest_or_withdraw_on_anothers_credential(workspace):
    with workspace.transaction() as session:
        owner = new_person(session)
        other = new_person(session, email="other@example.org")
        credential = _ca_lmft(session, workspace, owner)
    with pytest.raises(Forbidden), workspace.transaction() as session:
        credentials.attest_requirement(
            session,
            actor=me(other),
            credential_id=credential.id,
            data={"requirement": "hiv_aids", "completed": "2020-11-14"},
            registry=workspace.registry,
            today=TODAY,
            expected_version=credential.version,
        )
    with pytest.raises(Forbidden), workspace.transaction() as session:
        credentials.withdraw_attestation(
            session,
            actor=me(other),
            credential_id=credential.id,
            requirement="hiv_aids",
            expected_version=credential.version,
        )
