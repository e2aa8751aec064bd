"""Small builders for service tests."""

from __future__ import annotations

from datetime import date

from cetrack.services import people

TODAY = date(2026, 11, 22)


def new_person(session, email: str = "pat@example.org", birth_date: date | None = date(1984, 6, 2)):
    return people.create_person(session, email=email, name="Pat Lee", birth_date=birth_date)


def activity_data(**changes) -> dict:
    data = {
        "title": "Ethics in telehealth",
        "provider": "NBCC provider",
        "completed": date(2026, 2, 1),
        "hours": 3,
        "categories": ["ethics"],
        "format": "live_online",
    }
    data.update(changes)
    return data
