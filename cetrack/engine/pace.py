"""Will the licensee finish on time at their recent rate? A pure projection."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

PACE_WINDOW_DAYS = 180
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Pace:
    per_month: float
    needed_per_month: float
    projected_additional: float
    remaining: float
    on_track: bool


def project(
    counted_on: Iterable[tuple[date, float]],
    *,
    cycle_start: date,
    deadline: date,
    remaining: float,
    today: date,
) -> Pace:
    """`counted_on`: (completion date, hours counted this cycle) for each activity;
    `remaining`: the fewest extra hours that close every gap."""
    window_start = max(cycle_start, today - timedelta(days=PACE_WINDOW_DAYS - 1))
    window_days = max((today - window_start).days + 1, 1)
    recent = sum(hours for day, hours in counted_on if window_start <= day <= today)
    per_day = recent / window_days
    days_left = max((deadline - today).days, 0)
    projected = per_day * days_left
    needed = remaining / max(days_left, 1) * DAYS_PER_MONTH if remaining > 0 else 0.0
    return Pace(
        per_month=round(per_day * DAYS_PER_MONTH, 2),
        needed_per_month=round(needed, 2),
        projected_additional=round(projected, 2),
        remaining=remaining,
        on_track=remaining <= 0 or projected + 1e-9 >= remaining,
    )
