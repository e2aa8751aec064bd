"""Engine results as the JSON objects of the `cetrack check` contract."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cetrack.engine.allocation import PlanItem
from cetrack.engine.ce import CEResult
from cetrack.engine.reasons import Reason
from cetrack.engine.supervision import SupervisionResult


def number(value: float) -> int | float:
    """Hours as JSON numbers: 3 rather than 3.0, two decimals at most."""
    rounded = round(float(value), 2)
    return int(rounded) if rounded == int(rounded) else rounded


def reasons_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [
        {"code": reason.code, "hours": number(reason.hours), "message": reason.message()}
        for reason in reasons
    ]


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _plan_item(item: PlanItem) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hours": number(item.hours),
        "category": item.categories[0] if item.categories else "general",
        "requirement": item.requirement,
        "formats": list(item.formats),
    }
    if item.type != "course":
        body["type"] = item.type
    return body


def ce_result_json(result: CEResult) -> dict[str, Any]:
    requirements = []
    for outcome in result.requirements:
        target = outcome.target
        item = {
            "id": target.id,
            "title": target.title,
            "required": number(target.required),
            "counted": number(min(outcome.counted, target.required)),
            "remaining": number(outcome.remaining),
            "frequency": target.frequency,
        }
        if target.due:
            item["due"] = target.due.isoformat()
        requirements.append(item)
    activities = [
        {
            "id": outcome.id,
            "counted": number(outcome.counted),
            "allocation": {key: number(hours) for key, hours in outcome.allocation.items()},
            "excluded": number(outcome.excluded),
            "reasons": reasons_json(outcome.reasons),
        }
        for outcome in result.activities
    ]
    plan = [_plan_item(item) for item in result.allocation.plan]
    body: dict[str, Any] = {
        "rule": result.rule.id,
        "as_of": result.as_of.isoformat(),
        "status": result.status,
        "cycle": {
            "start": result.cycle.start.isoformat(),
            "end": result.cycle.end.isoformat(),
            "first_renewal": result.cycle.first,
            "renewal_number": result.cycle.renewal_number,
        },
        "deadline": result.deadline.isoformat(),
        "days_left": result.days_left,
        "total": {
            "required": number(result.targets.total_required),
            "counted": number(result.total_counted),
            "remaining": number(result.total_remaining),
        },
        "requirements": requirements,
        "activities": activities,
        "carryover": {
            "in": number(result.carry_in),
            "out": number(result.carry_out),
            "max": number(result.ce.carryover.max_hours),
        },
        "minimal_additional": number(result.allocation.minimal_additional),
        "plan": plan,
        "not_evaluated": [item.title for item in result.rule.not_evaluated],
        "notes": result.notes,
    }
    if result.registration_final:
        body["registration_final_expiry"] = result.registration_final.isoformat()
    return body


def supervision_result_json(result: SupervisionResult) -> dict[str, Any]:
    body: dict[str, Any] = {
        "rule": result.rule.id,
        "kind": "supervision",
        "experience": result.experience.title,
        "as_of": result.as_of.isoformat(),
        "start": result.start.isoformat(),
        "eligible": result.eligible,
        "requirements": [
            {
                "id": item.id,
                "title": item.title,
                "required": number(item.required),
                "counted": number(item.counted),
                "remaining": number(item.remaining),
            }
            for item in result.requirements
        ],
        "logs": [
            {
                "id": outcome.id,
                "counted": number(outcome.experience),
                "direct": number(outcome.direct),
                "supervision": number(outcome.supervision),
                "excluded": number(outcome.excluded),
                "excluded_supervision": number(outcome.excluded_supervision),
                "reasons": reasons_json(outcome.reasons),
            }
            for outcome in result.logs
        ],
        "pace_per_week": {key: number(value) for key, value in result.pace_per_week.items()},
        "projected_eligible": _date(result.projected_eligible),
        "notes": result.notes,
    }
    if result.registration_final:
        body["registration_final_expiry"] = result.registration_final.isoformat()
    return body
