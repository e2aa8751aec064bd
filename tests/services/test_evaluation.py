"""Evaluations through the database: one entry counts for every credential, results are
stored and recomputed only when an input changes."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from cetrack.db.models import Evaluation
from cetrack.services import activities, credentials, evaluation
from tests.services.helpers import TODAY, activity_data, new_person


def setup_person(session, workspace):
    person = new_person(session)
    texas = credentials.add_credential(
        session,
        person=person,
        data={"rule_id": "TX/LPC", "expires": date(2027, 6, 30), "issued": date(2015, 6, 15)},
        registry=workspace.registry,
        today=TODAY,
    )
    florida = credentials.add_credential(
        session,
        person=person,
        data={"rule_id": "FL/LMHC", "issued": date(2018, 5, 1)},
        registry=workspace.registry,
        today=TODAY,
    )
    activities.log_activity(session, person=person, data=activity_data(), today=TODAY)
    return person, texas, florida


def statuses(session, workspace, person):
    return evaluation.credential_statuses(
        session,
        person=person,
        credentials=credentials.list_credentials(session, person=person),
        registry=workspace.registry,
        today=TODAY,
    )


def test_one_entry_counts_toward_every_credential(workspace):
    with workspace.transaction() as session:
        person, _, _ = setup_person(session, workspace)
        results = {status.rule.id: status.result for status in statuses(session, workspace, person)}
    assert results["TX/LPC"]["requirements"][0] == {
        "id": "ethics",
        "title": results["TX/LPC"]["requirements"][0]["title"],
        "required": 6,
        "counted": 3,
        "remaining": 3,
        "frequency": "every_cycle",
    }
    assert results["TX/LPC"]["total"]["counted"] == 3
    assert results["FL/LMHC"]["total"]["counted"] == 3


def test_results_are_stored_and_recomputed_when_an_activity_changes(workspace):
    with workspace.transaction() as session:
        person, texas, _ = setup_person(session, workspace)
        statuses(session, workspace, person)
    with workspace.transaction() as session:
        stored = session.exec(select(Evaluation).where(Evaluation.credential_id == texas.id)).one()
        first_digest, first_time = stored.digest, stored.computed_at
        statuses(session, workspace, person)
        again = session.exec(select(Evaluation).where(Evaluation.credential_id == texas.id)).one()
        assert (again.digest, again.computed_at) == (first_digest, first_time)
        activities.log_activity(
            session,
            person=person,
            data=activity_data(title="Cultural humility", categories=["cultural_competency"]),
            today=TODAY,
        )
        status = next(s for s in statuses(session, workspace, person) if s.rule.id == "TX/LPC")
        changed = session.exec(select(Evaluation).where(Evaluation.credential_id == texas.id)).one()
    assert changed.digest != first_digest
    assert status.result["total"]["counted"] == 6
    assert changed.result == status.result


def test_pace_says_whether_the_deadline_will_be_met(workspace):
    with workspace.transaction() as session:
        person, _, _ = setup_person(session, workspace)
        texas = next(s for s in statuses(session, workspace, person) if s.rule.id == "TX/LPC")
    # the only activity (2026-02-01) is older than the 180-day window: no recent pace
    assert not texas.pace.on_track
    assert texas.pace.remaining == 21
    assert texas.pace.sentence(date(2027, 6, 30)) == (
        "Behind: at your recent pace (0.0 h a month) you will add about 0 h by 2027-06-30, "
        "but 21 h are still needed (about 2.9 h a month)."
    )
