"""One plan for all of a person's credentials: the fewest course-hours that close every gap
in every credential at once (`engine/joint_plan.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from cetrack.db.models import Person
from cetrack.engine.ce import current_problem
from cetrack.engine.cycles import RuleInputError
from cetrack.engine.joint_plan import JointPlan, plan_jointly
from cetrack.engine.records import Activity as ActivityRecord
from cetrack.rules.registry import Registry
from cetrack.services.activities import list_activities
from cetrack.services.actor import Actor
from cetrack.services.evaluation import CredentialStatus, credential_statuses, license_facts
from cetrack.services.policy import Action, require


def joint_plan(
    session: Session,
    *,
    actor: Actor,
    person: Person,
    registry: Registry,
    today: date,
    statuses: Sequence[CredentialStatus] | None = None,
) -> JointPlan | None:
    """None when nothing is missing anywhere (or no credential can be evaluated).
    `statuses`: the person's credential statuses when the caller has read them already."""
    require(actor, Action.READ, person)
    if statuses is None:
        statuses = credential_statuses(
            session, actor=actor, person=person, registry=registry, today=today
        )
    for status in statuses:
        require(actor, Action.READ, status.credential)
    records = [
        ActivityRecord.from_attributes(row, id=str(row.id))
        for row in list_activities(session, actor=actor, person=person)
    ]
    statuses = [
        status
        for status in statuses
        if status.credential.person_id == person.id
        and status.result is not None
        and status.result.minimal_additional > 1e-6
    ]
    if not statuses:
        return None
    rule_counts = [status.rule.id for status in statuses]
    problems = {}
    for status in statuses:
        name = status.rule.id
        if rule_counts.count(name) > 1:
            name = f"{name} No. {status.credential.number or status.credential.id}"
        try:
            problems[name] = current_problem(
                status.rule, license_facts(status.credential, person), records, today
            )
        except RuleInputError:
            continue
    return plan_jointly(problems, day=today) if problems else None
