"""People: in single-user mode, the one clinician using this database."""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel
from sqlmodel import Session, select

from cetrack.db.models import Person
from cetrack.inputs import EARLIEST_DATE, plain_text
from cetrack.services.actor import Actor
from cetrack.services.errors import InputError, NotFound
from cetrack.services.ownership import check_version, flush_versioned, record_event
from cetrack.services.policy import Action, require

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class PersonDetails(BaseModel):
    """What a person edits of themselves (and what the audit keeps of it)."""

    name: str
    birth_date: date | None = None


def _details(person: Person) -> dict:
    return PersonDetails.model_validate(person, from_attributes=True).model_dump(mode="json")


def _check_details(name: str, birth_date: date | None, today: date) -> dict[str, str]:
    errors = {}
    if not name.strip():
        errors["name"] = "enter a name"
    try:
        plain_text(name)
    except ValueError as error:
        errors["name"] = str(error)
    if birth_date and birth_date > today:
        errors["birth_date"] = "the birth date is in the future"
    elif birth_date and birth_date < EARLIEST_DATE:
        errors["birth_date"] = f"the year must be {EARLIEST_DATE.year} or later"
    return errors


def create_person(
    session: Session,
    *,
    actor: Actor,
    email: str,
    name: str,
    birth_date: date | None = None,
    today: date | None = None,
) -> Person:
    email = email.strip().lower()
    person = Person(email=email, name=name.strip(), birth_date=birth_date)
    require(actor, Action.CREATE, person)
    errors = _check_details(name, birth_date, today or date.today())
    if not _EMAIL.match(email):
        errors["email"] = "enter an email address like name@example.org"
    if not errors and _find(session, email):
        errors["email"] = f"{email} is already registered"
    if errors:
        raise InputError(errors)
    session.add(person)
    session.flush()
    record_event(session, person, actor=actor, action="create", detail={"after": _details(person)})
    return person


def _find(session: Session, email: str) -> Person | None:
    return session.exec(select(Person).where(Person.email == email.strip().lower())).first()


def find_person(session: Session, *, actor: Actor, email: str) -> Person | None:
    person = _find(session, email)
    if person is not None:
        require(actor, Action.READ, person)
    return person


def get_person(session: Session, *, actor: Actor, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    require(actor, Action.READ, person)
    return person


def first_person(session: Session) -> Person | None:
    """The clinician of a single-user database (the earliest person); who the local actor is,
    so it is asked before there is an actor."""
    return session.exec(select(Person).order_by(Person.id)).first()


def update_person(
    session: Session,
    *,
    actor: Actor,
    person: Person,
    name: str,
    birth_date: date | None,
    expected_version: int | None,
    today: date | None = None,
) -> Person:
    stored = session.get(Person, person.id)
    require(actor, Action.UPDATE, stored)
    check_version(session, stored, expected=expected_version, fields=PersonDetails)
    errors = _check_details(name, birth_date, today or date.today())
    if errors:
        raise InputError(errors)
    before = _details(stored)
    stored.name, stored.birth_date = name.strip(), birth_date
    session.add(stored)
    flush_versioned(session, stored)
    after = _details(stored)
    record_event(
        session, stored, actor=actor, action="update", detail={"before": before, "after": after}
    )
    if before["birth_date"] != (birth_date.isoformat() if birth_date else None):
        from cetrack.services.evaluation import mark_person_dirty

        mark_person_dirty(session, stored.id)
    return stored
