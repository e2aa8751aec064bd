"""Will the licensee finish on time at their recent rate? A pure projection."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

PACE_WINDOW_DAYS = 180
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class OpenRequirement:
    """A requirement still short this cycle, and the hours that have counted toward it."""

    title: str
    remaining: float
    counted_on: Sequence[tuple[date, float]]


@dataclass(frozen=True)
class Pace:
    per_month: float
    needed_per_month: float
    projected_additional: float
    remaining: float
    on_track: bool
    behind_on: tuple[str, ...] = ()  # requirements the recent pace will not close in time


def project(
    counted_on: Iterable[tuple[date, float]],
    *,
    cycle_start: date,
    deadline: date,
    remaining: float,
    today: date,
    requirements: Sequence[OpenRequirement] = (),
) -> Pace:
    """`counted_on`: (completion date, hours counted this cycle) for each activity;
    `remaining`: the fewest extra hours that close every gap. On track means the recent
    pace closes the total and also each open requirement from its own recent hours."""
    window_start = max(cycle_start, today - timedelta(days=PACE_WINDOW_DAYS - 1))
    window_days = max((today - window_start).days + 1, 1)
    days_left = max((deadline - today).days, 0)

    def per_day(hours_on: Iterable[tuple[date, float]]) -> float:
        recent = sum(hours for day, hours in hours_on if window_start <= day <= today)
        return recent / window_days

    def projected(hours_on: Iterable[tuple[date, float]]) -> float:
        return per_day(hours_on) * days_left

    counted_on = list(counted_on)
    total = projected(counted_on)
    needed = remaining / max(days_left, 1) * DAYS_PER_MONTH if remaining > 0 else 0.0
    behind_on = tuple(
        item.title
        for item in requirements
        if item.remaining > 0 and projected(item.counted_on) + 1e-9 < item.remaining
    )
    return Pace(
        per_month=round(per_day(counted_on) * DAYS_PER_MONTH, 2),
        needed_per_month=round(needed, 2),
        projected_additional=round(total, 2),
        remaining=remaining,
        on_track=remaining <= 0 or (total + 1e-9 >= remaining and not behind_on),
        behind_on=behind_on if remaining > 0 else (),
    )
