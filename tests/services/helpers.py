"""Small builders for service tests."""

from __future__ import annotations

from datetime import date

from cetrack.services import activities, people
from cetrack.services.actor import Actor

TODAY = date(2026, 11, 22)


def new_person(session, email: str = "pat@example.org", birth_date: date | None = date(1984, 6, 2)):
    return people.create_person(
        session,
        actor=Actor.system(),
        email=email,
        name="Pat Lee",
        birth_date=birth_date,
        today=TODAY,
    )


def me(person) -> Actor:
    """The person acting for themselves."""
    return Actor.local(person)


def activity_data(**changes) -> dict:
    data = {
        "title": "Ethics in telehealth",
        "provider": "NBCC provider",
        "completed": date(2026, 2, 1),
        "amount": 3,
        "categories": ["ethics"],
        "format": "live_online",
    }
    data.update(changes)
    return data


def log(session, person, **changes):
    return activities.log_activity(
        session, actor=me(person), person=person, data=activity_data(**changes), today=TODAY
    )


def listed(session, person, **options):
    return activities.list_activities(session, actor=me(person), person=person, **options)
