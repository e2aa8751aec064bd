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
    projected_total: float
    on_track: bool

    def sentence(self, required: float, deadline: date) -> str:
        rate = f"{self.per_month:.1f} h a month"
        if self.needed_per_month <= 0:
            return "Done: the total is already met."
        if self.on_track:
            return (
                f"On track: at your recent pace ({rate}) you will reach {required:g} h "
                f"by {deadline}."
            )
        return (
            f"Behind: at your recent pace ({rate}) you will have about "
            f"{self.projected_total:.0f} of {required:g} h by {deadline}; "
            f"about {self.needed_per_month:.1f} h a month are needed."
        )


def project(
    counted_on: Iterable[tuple[date, float]],
    *,
    cycle_start: date,
    deadline: date,
    required: float,
    counted: float,
    today: date,
) -> Pace:
    """`counted_on`: (completion date, hours counted this cycle) for each activity."""
    window_start = max(cycle_start, today - timedelta(days=PACE_WINDOW_DAYS - 1))
    window_days = max((today - window_start).days + 1, 1)
    recent = sum(hours for day, hours in counted_on if window_start <= day <= today)
    per_day = recent / window_days
    days_left = max((deadline - today).days, 0)
    remaining = max(required - counted, 0.0)
    projected = counted + per_day * days_left
    needed = remaining / max(days_left, 1) * DAYS_PER_MONTH if remaining else 0.0
    return Pace(
        per_month=round(per_day * DAYS_PER_MONTH, 2),
        needed_per_month=round(needed, 2),
        projected_total=round(projected, 2),
        on_track=remaining == 0 or projected + 1e-9 >= required,
    )
