"""Typed engine results as the JSON objects of the `cetrack check` contract: hours rounded to
two decimals (whole hours as integers), reasons and notes with their sentences."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from cetrack.engine.reasons import Reason
from cetrack.engine.results import CEResult, HomeDependency, PlanItem, SupervisionResult
from cetrack.wording import dependency_line, note_text, reason_text


def number(value: float) -> int | float:
    """Hours as JSON numbers: 3 rather than 3.0, two decimals at most."""
    rounded = round(float(value), 2)
    return int(rounded) if rounded == int(rounded) else rounded


def reasons_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [
        {"code": reason.code, "hours": number(reason.hours), "message": reason_text(reason)}
        for reason in reasons
    ]


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _plan_item(item: PlanItem) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hours": number(item.hours),
        "category": item.category,
        "requirement": item.requirement,
        "formats": list(item.formats),
    }
    if item.type != "course":
        body["type"] = item.type
    return body


def ce_result_json(result: CEResult) -> dict[str, Any]:
    requirements = []
    for requirement in result.requirements:
        item = {
            "id": requirement.id,
            "title": requirement.title,
            "required": number(requirement.required),
            "counted": number(requirement.counted),
            "remaining": number(requirement.remaining),
            "frequency": requirement.frequency,
        }
        if requirement.due:
            item["due"] = requirement.due.isoformat()
        if requirement.attested_on:
            item["attested_on"] = requirement.attested_on.isoformat()
        requirements.append(item)
    body: dict[str, Any] = {
        "rule": result.rule,
        "as_of": result.as_of.isoformat(),
        "status": result.status,
        "cycle": {
            "start": result.cycle.start.isoformat(),
            "end": result.cycle.end.isoformat(),
            "first_renewal": result.cycle.first_renewal,
            "renewal_number": result.cycle.renewal_number,
        },
        "deadline": result.deadline.isoformat(),
        "days_left": result.days_left(),
        "total": {
            "required": number(result.total.required),
            "counted": number(result.total.counted),
            "remaining": number(result.total.remaining),
        },
        "requirements": requirements,
        "activities": [
            {
                "id": activity.id,
                "counted": number(activity.counted),
                "allocation": {key: number(hours) for key, hours in activity.allocation.items()},
                "excluded": number(activity.excluded),
                "reasons": reasons_json(activity.reasons),
            }
            for activity in result.activities
        ],
        "carryover": {
            "in": number(result.carryover.carried_in),
            "out": number(result.carryover.carried_out),
            "max": number(result.carryover.max),
        },
        "minimal_additional": number(result.minimal_additional),
        "plan": [_plan_item(item) for item in result.plan],
        "not_evaluated": list(result.not_evaluated),
        **(
            {
                "reminders_logged": [
                    {"title": item.title, "activity": item.activity}
                    for item in result.reminders_logged
                ]
            }
            if result.reminders_logged
            else {}
        ),
        "notes": [note_text(note) for note in result.notes],
    }
    if result.registration_final_expiry:
        body["registration_final_expiry"] = result.registration_final_expiry.isoformat()
    if result.home:
        body["home"] = home_json(result.home)
    return body


def home_json(home: HomeDependency) -> dict[str, Any]:
    body: dict[str, Any] = {
        "compact": home.compact,
        "rule": home.rule,
        "expires": _date(home.expires),
        "standing": home.standing,
        "valid": home.valid,
        "expires_with_home": home.expires_with_home,
        "ce_follows_home": home.ce_follows_home,
        "summary": dependency_line(home),
    }
    if home.remote_state:
        body["remote_state"] = home.remote_state
    if home.jurisprudence_required:
        body["jurisprudence_done_on"] = _date(home.jurisprudence_done_on)
    if home.home:
        body["home"] = home_json(home.home)
    return body


def supervision_result_json(result: SupervisionResult) -> dict[str, Any]:
    body: dict[str, Any] = {
        "rule": result.rule,
        "kind": "supervision",
        "experience": result.experience,
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
                "id": log.id,
                "counted": number(log.counted),
                "direct": number(log.direct),
                "supervision": number(log.supervision),
                "excluded": number(log.excluded),
                "excluded_supervision": number(log.excluded_supervision),
                "reasons": reasons_json(log.reasons),
            }
            for log in result.logs
        ],
        "pace_per_week": {key: number(value) for key, value in result.pace_per_week.items()},
        "projected_eligible": _date(result.projected_eligible),
        "notes": [note_text(note) for note in result.notes],
    }
    if result.registration_final_expiry:
        body["registration_final_expiry"] = result.registration_final_expiry.isoformat()
    return body
