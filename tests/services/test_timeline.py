"""The dashboard's chart data: every month from the first activity to the last, empty ones at
0 (issue 7, defect 8: the chart skipped empty months)."""

from __future__ import annotations

from datetime import date

from cetrack.db.models import Activity
from cetrack.services.timeline import hours_by_month


def logged(completed: date, amount: float, unit: str = "hours") -> Activity:
    return Activity(
        person_id=1, title="x", completed=completed, amount=amount, unit=unit, format="in_person"
    )


def test_months_without_activities_are_in_the_chart_at_zero():
    frame = hours_by_month(
        [
            logged(date(2026, 1, 15), 2),
            logged(date(2026, 4, 1), 90, "minutes"),
            logged(date(2026, 1, 2), 1),
        ]
    )
    assert list(frame["month"]) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert list(frame["hours"]) == [3, 0, 0, 1.5]
    assert list(frame["cumulative"]) == [3, 3, 3, 4.5]


def test_no_activities_no_months():
    assert hours_by_month([]).empty
