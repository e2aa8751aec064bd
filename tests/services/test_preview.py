"""What would this course do? (issue 7, feature 15): the effect of an activity on every
credential before it is saved, worked out against the demo clinician's records."""

from __future__ import annotations

from datetime import date

import pytest

from cetrack.inputs import validate_activity
from cetrack.services import activities, evaluation, plan, preview
from cetrack.services.actor import Actor
from cetrack.services.demo import load_demo
from cetrack.services.errors import Forbidden
from cetrack.wording import effect_line
from tests.services.helpers import TODAY, me, new_person


def effects(workspace, person, **data):
    entered = validate_activity(
        {
            "title": "x",
            "completed": date(2026, 11, 1),
            "amount": 3,
            "format": "live_online",
            **data,
        },
        today=TODAY,
    )
    with workspace.transaction() as session:
        return {
            effect.rule_id: effect
            for effect in preview.preview_activity(
                session,
                actor=me(person),
                person=person,
                data=entered,
                registry=workspace.registry,
                today=TODAY,
            )
        }


def test_a_course_shows_what_it_fills_in_each_credential_and_saves_nothing(workspace):
    with workspace.transaction() as session:
        person = load_demo(session, workspace, actor=Actor.system(), today=TODAY)
        logged = len(activities.list_activities(session, actor=me(person), person=person))
    found = effects(workspace, person, categories=["cultural_competency"])
    # TX/LPC is 3 h short of cultural diversity: the course closes it (its total is already met)
    texas = found["TX/LPC"]
    assert texas.requirements == (("Cultural diversity or competency", 3.0),)
    assert effect_line(texas) == "TX/LPC: +3 h Cultural diversity or competency"
    # the NCC needs 45 more hours toward its 100: all 3 count
    assert found["national/NCC"].total == 3
    with workspace.transaction() as session:
        assert len(activities.list_activities(session, actor=me(person), person=person)) == logged
        statuses = evaluation.credential_statuses(
            session, actor=me(person), person=person, registry=workspace.registry, today=TODAY
        )
    texas_now = next(status.result for status in statuses if status.rule.id == "TX/LPC")
    assert texas_now.minimal_additional == 3  # still short: nothing was saved


def test_a_course_outside_every_cycle_says_why_it_counts_for_nothing(workspace):
    with workspace.transaction() as session:
        person = load_demo(session, workspace, actor=Actor.system(), today=TODAY)
    found = effects(workspace, person, completed=date(2019, 1, 5))
    line = effect_line(found["TX/LPC"])
    assert line.startswith("TX/LPC: nothing (") and "cycle" in line


def test_one_person_cannot_preview_or_plan_for_another(workspace):
    with workspace.transaction() as session:
        dana = load_demo(session, workspace, actor=Actor.system(), today=TODAY)
        other = new_person(session, email="other@example.org")
    entered = validate_activity(
        {"title": "x", "completed": date(2026, 11, 1), "amount": 3, "format": "live_online"},
        today=TODAY,
    )
    with pytest.raises(Forbidden), workspace.transaction() as session:
        preview.preview_activity(
            session,
            actor=me(other),
            person=dana,
            data=entered,
            registry=workspace.registry,
            today=TODAY,
        )
    with pytest.raises(Forbidden), workspace.transaction() as session:
        plan.joint_plan(
            session, actor=me(other), person=dana, registry=workspace.registry, today=TODAY
        )
    # statuses read for one person cannot be passed off as another's
    with workspace.transaction() as session:
        theirs = evaluation.credential_statuses(
            session, actor=me(dana), person=dana, registry=workspace.registry, today=TODAY
        )
    with pytest.raises(Forbidden), workspace.transaction() as session:
        plan.joint_plan(
            session,
            actor=me(other),
            person=other,
            registry=workspace.registry,
            today=TODAY,
            statuses=theirs,
        )
