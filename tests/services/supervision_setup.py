"""An associate working toward TX/LPC under an LPC-S who is in cetrack, to test with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from cetrack.db.models import LicensurePath, Person, SupervisionRelationship
from cetrack.services import credentials, supervision, supervision_logs
from cetrack.services.actor import Actor
from tests.services.helpers import TODAY, new_person

START = date(2026, 1, 5)  # a Monday


@dataclass
class Practice:
    associate: Person
    supervisor: Person
    relationship: SupervisionRelationship
    path: LicensurePath

    def associate_actor(self, session) -> Actor:
        return supervision.local_actor(session, self.associate)

    def supervisor_actor(self, session) -> Actor:
        return supervision.local_actor(session, self.supervisor)


def week_data(relationship_id: int, number: int, **changes) -> dict:
    start = START + timedelta(weeks=number)
    data = {
        "relationship_id": relationship_id,
        "start": start,
        "end": start + timedelta(days=6),
        "direct": 20,
        "indirect": 10,
        "individual_supervision": 4,  # TX asks 4 h a month: one week logged meets it
        "setting": "Riverside Clinic",
    }
    return {**data, **changes}


def practice(session, registry, **relationship) -> Practice:
    """`relationship` overrides the supervision's details (`supervisor_email=""`: not linked)."""
    supervisor_email = "sam@example.org"
    associate = new_person(session, "ari@example.org")
    supervisor = new_person(session, supervisor_email)
    credentials.add_credential(
        session,
        actor=Actor.local(supervisor),
        person=supervisor,
        data={
            "rule_id": "TX/LPC",
            "number": "LPC 1234",
            "issued": date(2012, 5, 1),
            "expires": date(2027, 5, 31),
            "supervisor": True,
        },
        registry=registry,
        today=TODAY,
    )
    me = Actor.local(associate)
    path = supervision.add_path(
        session,
        actor=me,
        person=associate,
        data={"rule_id": "TX/LPC", "started_on": START, "registration_issued": START},
        registry=registry,
        today=TODAY,
    )
    details = {
        "supervisor_name": "Sam Supervisor",
        "supervisor_email": supervisor_email,
        "supervisor_license": "TX LPC",
        "supervisor_license_number": "LPC 1234",
        "supervisor_credential": "LPC-S",
        "setting": "Riverside Clinic",
        "starts_on": START,
        **relationship,
    }
    link = supervision.add_supervisor(session, actor=me, person=associate, data=details, state="TX")
    return Practice(associate, supervisor, link, path)


def log_week(session, practice_: Practice, number: int, **changes):
    return supervision_logs.add_log(
        session,
        actor=practice_.associate_actor(session),
        person=practice_.associate,
        data=week_data(practice_.relationship.id, number, **changes),
        today=TODAY,
    )
