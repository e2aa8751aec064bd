"""Turn an activity's amount into CE hours under a rule's unit conversions."""

from __future__ import annotations

import math
from dataclasses import dataclass

from cetrack.engine.reasons import Reason
from cetrack.rules.schema import Units

_EPSILON = 1e-9


@dataclass(frozen=True)
class Converted:
    """`hours` of credit; `reasons` explain any part of the raw amount that earned none."""

    raw_hours: float
    hours: float
    reasons: tuple[Reason, ...] = ()


def _per_unit(unit: str, units: Units) -> float | None:
    match unit:
        case "hours":
            return 1.0
        case "minutes":
            return 1.0 / units.hour_minutes
        case "ceu":
            return units.ceu_hours
        case "semester_credit":
            return units.semester_credit_hours
        case "quarter_credit":
            return units.quarter_credit_hours
    raise ValueError(f"unknown unit {unit!r}")


def round_down(hours: float, increment: float) -> float:
    return math.floor(hours / increment + _EPSILON) * increment


def convert(amount: float, unit: str, units: Units) -> Converted:
    """CE hours for `amount` of `unit`, rounded as the rule says."""
    factor = _per_unit(unit, units)
    if factor is None:
        label = unit.replace("_", " ") + "s"
        return Converted(amount, 0.0, (Reason("unit_not_accepted", amount, {"unit": label}),))
    raw = round(amount * factor, 6)
    if units.first_hour_whole and raw < 1 - _EPSILON:
        return Converted(raw, 0.0, (Reason("below_first_hour", raw),))
    credited = raw
    if units.increment:
        whole = 1.0 if units.first_hour_whole else 0.0
        credited = whole + round_down(raw - whole, units.increment)
    credited = round(credited, 6)
    lost = round(raw - credited, 6)
    if lost > _EPSILON:
        return Converted(raw, credited, (Reason("rounding", lost, {"increment": units.increment}),))
    return Converted(raw, credited)


# A total shown to a person before any rule converts it: 60-minute hours, a CEU of 10 contact
# hours (the IACET definition), and academic credit at the most common rule values (15 per
# semester credit, 10 per quarter credit). Each credential's own figures come from its rule.
_CLOCK_HOURS = {
    "hours": 1.0,
    "minutes": 1 / 60,
    "ceu": 10.0,
    "semester_credit": 15.0,
    "quarter_credit": 10.0,
}


def clock_hours(amount: float, unit: str) -> float:
    """`amount` of `unit` in hours, for totals a person reads (not for any rule)."""
    return amount * _CLOCK_HOURS[unit]
