"""The demo: a clinician with a TX LPC, a NY LMHC and an NCC, a year of CE, certificates."""

from __future__ import annotations

import pytest

from cetrack.services import (
    activities,
    credentials,
    evaluation,
    experience,
    people,
    signoff,
    supervision,
    supervision_logs,
)
from cetrack.services.actor import Actor
from cetrack.services.demo import DEMO_ACTIVITIES, load_demo
from cetrack.services.errors import InputError
from tests.services.helpers import TODAY, me


def test_demo_loads_a_realistic_year(workspace):
    with workspace.transaction() as session:
        person = load_demo(session, workspace, actor=Actor.system(), today=TODAY)
    with workspace.transaction() as session:
        held = credentials.list_credentials(session, actor=me(person), person=person)
        logged = activities.list_activities(session, actor=me(person), person=person)
        results = {
            status.rule.id: status.result
            for status in evaluation.credential_statuses(
                session, actor=me(person), person=person, registry=workspace.registry, today=TODAY
            )
        }
    assert sorted(c.rule_id for c in held) == ["NY/LMHC", "TX/LPC", "national/NCC"]
    assert len(logged) == len(DEMO_ACTIVITIES)
    assert sum(1 for a in logged if a.certificate_id) >= 8
    # the demo shows what a newcomer should see: a gap, and hours that did not count
    texas = results["TX/LPC"]
    assert texas.status == "incomplete"
    assert any(item.category == "cultural_competency" for item in texas.plan)
    new_york = results["NY/LMHC"]
    assert any(reason.code == "over_cap" for a in new_york.activities for reason in a.reasons)


def test_demo_refuses_to_load_twice(workspace):
    with workspace.transaction() as session:
        load_demo(session, workspace, actor=Actor.system(), today=TODAY)
    with pytest.raises(InputError), workspace.transaction() as session:
        load_demo(session, workspace, actor=Actor.system(), today=TODAY)


def test_demo_has_an_associate_with_a_year_of_weekly_logs_under_the_clinician(workspace):
    with workspace.transaction() as session:
        dana = load_demo(session, workspace, actor=Actor.system(), today=TODAY)
    with workspace.transaction() as session:
        supervisor = supervision.local_actor(session, dana)
        (associate_id,) = supervisor.supervised
        jordan = people.get_person(session, actor=supervisor, person_id=associate_id)
        logs = supervision_logs.list_logs(session, actor=supervisor, person=jordan)
        (path,) = supervision.list_paths(session, actor=supervisor, person=jordan)
        result = experience.progress(
            session, actor=supervisor, path=path, registry=workspace.registry, today=TODAY
        )
        report = signoff.verify_chains(session, actor=Actor.system())
    statuses = [log.status for log in logs]
    assert len(logs) == 52
    assert (statuses.count("pending"), statuses.count("returned")) == (3, 1)
    assert report.signatures == 48 and report.broken is None
    assert path.rule_id == "TX/LPC" and not result.eligible
    counted = {item.id: item.counted for item in result.requirements}
    assert 0 < counted["total_hours"] < 3000
    assert result.projected_eligible is not None and result.projected_eligible > TODAY
