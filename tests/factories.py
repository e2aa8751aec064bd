"""Small builders of rule files and records for tests."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from cetrack.engine.records import Activity, LicenseFacts
from cetrack.rules.loader import parse_rule
from cetrack.rules.schema import RuleFile

TODAY = date(2026, 11, 22)

SOURCE = {
    "id": "src",
    "title": "Fixture source",
    "url": "https://example.org/rule",
    "retrieved": date(2026, 11, 1),
    "authority": "official",
}

BASE: dict[str, Any] = {
    "state": "ZZ",
    "license": "TEST",
    "title": "Test license (fixture, not a real rule)",
    "profession": "counselor",
    "tier": "independent",
    "board": "Fixture board",
    "board_url": "https://example.org/board",
    "verification_url": "https://example.org/lookup",
    "verified_on": date(2026, 11, 1),
    "sources": [SOURCE],
    "renewal": [
        {
            "cycle_months": 24,
            "expiration": {"model": "fixed_date", "month": 6, "day": 30, "parity": "odd"},
            "source": "src",
        }
    ],
    "ce": [
        {
            "total_hours": 24,
            "source": "src",
            "units": {"source": "src"},
            "requirements": [
                {"id": "ethics", "title": "Ethics", "hours": 6, "categories": ["ethics"]}
            ],
            "carryover": {"max_hours": 0, "source": "src"},
            "first_renewal": {"mode": "full", "source": "src"},
        }
    ],
}


def rule_data(**changes: Any) -> dict[str, Any]:
    """A deep copy of BASE with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(changes))
    return data


def ce_data(**changes: Any) -> dict[str, Any]:
    """BASE's CE version with keys replaced."""
    data = copy.deepcopy(BASE["ce"][0])
    data.update(copy.deepcopy(changes))
    return data


def make_rule(data: dict[str, Any] | None = None, **changes: Any) -> RuleFile:
    return parse_rule(data if data is not None else rule_data(**changes), "fixture", today=TODAY)


def make_ce_rule(**ce_changes: Any) -> RuleFile:
    return make_rule(ce=[ce_data(**ce_changes)])


def activity(
    activity_id: str,
    completed: str,
    hours: float,
    *categories: str,
    fmt: str = "in_person",
    unit: str = "hours",
    kind: str = "course",
) -> Activity:
    return Activity(
        id=activity_id,
        completed=date.fromisoformat(completed),
        amount=hours,
        unit=unit,
        categories=tuple(categories),
        format=fmt,
        type=kind,
    )


def facts(**fields: Any) -> LicenseFacts:
    for name in ("expires", "issued", "birth_date"):
        if isinstance(fields.get(name), str):
            fields[name] = date.fromisoformat(fields[name])
    if "flags" in fields:
        fields["flags"] = frozenset(fields["flags"])
    return LicenseFacts(**fields)
