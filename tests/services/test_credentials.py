"""Credentials on SQLite and PostgreSQL: validation, derived expiration, reversible removal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from cetrack.db.models import AuditEvent
from cetrack.services import credentials
from cetrack.services.errors import Forbidden, InputError, StaleEdit
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
