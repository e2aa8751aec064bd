"""The organization's audit trail on SQLite and PostgreSQL: its admins and HR see every change
to its members' records and accounts, with before and after, filtered; not another's."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from cetrack.services import audit_trail, credentials, people, roster
from cetrack.services.audit_trail import TrailFilters
from tests.services.helpers import TODAY
from tests.services.organization import PASSWORD, clinic


def test_admins_and_hr_see_their_organizations_changes_only(workspace):
    with workspace.transaction() as session:
        place = clinic(session)
        cam = place.actor(session, "cam@clinic.org")
        held = credentials.add_credential(
            session,
            actor=cam,
            person=people.get_person(session, actor=cam, person_id=cam.person_id),
            data={"rule_id": "TX/LPC", "expires": "2027-06-30"},
            registry=workspace.registry,
            today=TODAY,
        )
        credentials.update_credential(
            session,
            actor=cam,
            credential_id=held.id,
            data={"rule_id": "TX/LPC", "expires": "2027-06-30", "number": "777"},
            registry=workspace.registry,
            today=TODAY,
            expected_version=held.version,
        )
        hr = place.actor(session, "hal@clinic.org")
        roster.add_member(
            session,
            actor=hr,
            organization=place.organization,
            name="Nia",
            email="nia@clinic.org",
            roles=["clinician"],
            today=TODAY,
        )
    with workspace.transaction() as session:
        for email in ("hal@clinic.org", "ada@clinic.org"):
            entries = audit_trail.trail(
                session, actor=place.actor(session, email), organization=place.organization
            )
            owners = {entry.owner for entry in entries}
            assert "cam@clinic.org" in owners and "oz@agency.org" not in owners
        hr = place.actor(session, "hal@clinic.org")
        changed = audit_trail.trail(
            session,
            actor=hr,
            organization=place.organization,
            filters=TrailFilters(entities=("credential",), email="CAM@clinic.org"),
        )
        assert [entry.event.action for entry in changed] == ["update", "create"]
        assert changed[0].event.detail["after"]["number"] == "777"
        assert changed[0].event.detail["before"]["number"] == ""
        by_hr = audit_trail.trail(
            session,
            actor=hr,
            organization=place.organization,
            filters=TrailFilters(email="hal@clinic.org"),
        )
        assert {entry.event.entity for entry in by_hr} >= {"person", "membership"}
        later = audit_trail.trail(
            session,
            actor=hr,
            organization=place.organization,
            filters=TrailFilters(since=changed[0].event.at.date() + timedelta(days=1)),
        )
        assert later == []
        everything = audit_trail.trail(session, actor=hr, organization=place.organization)
        rows = list(
            csv.DictReader(
                io.StringIO(
                    audit_trail.trail_csv(
                        session, actor=hr, organization=place.organization
                    ).decode("utf-8-sig")
                )
            )
        )
    assert [int(row["seq"]) for row in rows] == [entry.event.seq for entry in everything]
    assert not any(PASSWORD in ",".join(row.values()) for row in rows)
    assert all(row["hash"] for row in rows)  # each sealed into the chain
