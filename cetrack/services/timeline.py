"""Hours logged over time, for the dashboard's chart."""

from __future__ import annotations

import pandas as pd

from cetrack.db.models import Activity
from cetrack.engine.units import clock_hours


def hours_by_month(activities: list[Activity]) -> pd.DataFrame:
    """One row per month with logged activities: clock hours logged (any unit converted)
    and the running total."""
    if not activities:
        return pd.DataFrame(columns=["month", "hours", "cumulative"])
    frame = pd.DataFrame(
        {
            "month": [a.completed.strftime("%Y-%m") for a in activities],
            "hours": [clock_hours(a.amount, a.unit) for a in activities],
        }
    )
    monthly = frame.groupby("month", as_index=False)["hours"].sum().sort_values("month")
    monthly["cumulative"] = monthly["hours"].cumsum()
    return monthly.reset_index(drop=True)
