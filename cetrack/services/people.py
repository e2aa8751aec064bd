"""People: in single-user mode, the one clinician using this database."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session, select

from cetrack.db.models import Person
from cetrack.services import audit
from cetrack.services.errors import InputError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_person(
    session: Session, *, email: str, name: str, birth_date: date | None = None
) -> Person:
    email = email.strip().lower()
    errors = {}
    if not _EMAIL.match(email):
        errors["email"] = "enter an email address like name@example.org"
    if not name.strip():
        errors["name"] = "enter a name"
    if birth_date and birth_date > date.today():
        errors["birth_date"] = "the birth date is in the future"
    if not errors and find_person(session, email):
        errors["email"] = f"{email} is already registered"
    if errors:
        raise InputError(errors)
    person = Person(email=email, name=name.strip(), birth_date=birth_date)
    session.add(person)
    session.flush()
    audit.record(
        session, person_id=person.id, action="create", entity="person", entity_id=person.id
    )
    return person


def find_person(session: Session, email: str) -> Person | None:
    return session.exec(select(Person).where(Person.email == email.strip().lower())).first()


def first_person(session: Session) -> Person | None:
    """The clinician of a single-user database (the earliest person)."""
    return session.exec(select(Person).order_by(Person.id)).first()


def update_person(
    session: Session, *, person: Person, name: str, birth_date: date | None
) -> Person:
    errors = {}
    if not name.strip():
        errors["name"] = "enter a name"
    if birth_date and birth_date > date.today():
        errors["birth_date"] = "the birth date is in the future"
    if errors:
        raise InputError(errors)
    stored = session.get(Person, person.id)
    before = {"name": stored.name, "birth_date": str(stored.birth_date)}
    stored.name, stored.birth_date = name.strip(), birth_date
    session.add(stored)
    audit.record(
        session,
        person_id=stored.id,
        action="update",
        entity="person",
        entity_id=stored.id,
        detail={"before": before},
    )
    return stored
