"""What would this course do? An activity being entered, evaluated against every credential
of the person before it is saved: which requirements it would fill and by how many hours."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from cetrack.db.models import Person
from cetrack.engine.ce import evaluate_ce
from cetrack.engine.cycles import RuleInputError
from cetrack.engine.records import Activity as ActivityRecord
from cetrack.engine.results import ActivityEffect
from cetrack.inputs import ActivityInput
from cetrack.rules.registry import Registry
from cetrack.services.activities import list_activities
from cetrack.services.actor import Actor
from cetrack.services.evaluation import credential_statuses, license_facts
from cetrack.services.policy import Action, require

PREVIEW_ID = "preview"


def preview_activity(
    session: Session,
    *,
    actor: Actor,
    person: Person,
    data: ActivityInput,
    registry: Registry,
    today: date,
) -> list[ActivityEffect]:
    require(actor, Action.READ, person)
    records = [
        ActivityRecord.from_attributes(row, id=str(row.id))
        for row in list_activities(session, actor=actor, person=person)
    ]
    candidate = ActivityRecord(
        id=PREVIEW_ID,
        completed=data.completed,
        amount=data.amount,
        unit=data.unit,
        categories=tuple(data.categories),
        format=data.format,
        type=data.type,
    )
    effects = []
    statuses = credential_statuses(
        session, actor=actor, person=person, registry=registry, today=today
    )
    for status in statuses:
        if status.result is None or not status.rule.ce:  # no CE of its own
            continue
        try:
            after = evaluate_ce(
                status.rule,
                license_facts(status.credential, person),
                [*records, candidate],
                today,
            )
        except RuleInputError:
            continue
        before = {item.id: item.counted for item in status.result.requirements}
        gained = tuple(
            (item.title, round(item.counted - before.get(item.id, 0.0), 2))
            for item in after.requirements
            if item.counted - before.get(item.id, 0.0) > 1e-6
        )
        total = round(status.result.total.remaining - after.total.remaining, 2)
        outcome = after.activity(PREVIEW_ID)
        reasons = outcome.reasons if outcome and not outcome.counted else ()
        effects.append(
            ActivityEffect(
                rule_id=status.rule.id,
                credential_id=status.credential.id,
                requirements=gained,
                total=max(total, 0.0),
                reasons=tuple(reasons),
            )
        )
    return effects
