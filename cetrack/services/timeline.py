"""Hours logged over time, for the dashboard's chart."""

from __future__ import annotations

import pandas as pd

from cetrack.db.models import Activity
from cetrack.engine.units import clock_hours


def hours_by_month(activities: list[Activity]) -> pd.DataFrame:
    """One row per month from the first activity's to the last one's, months without any
    activity included at 0: clock hours logged (any unit converted) and the running total."""
    if not activities:
        return pd.DataFrame(columns=["month", "hours", "cumulative"])
    frame = pd.DataFrame(
        {
            "month": [a.completed.strftime("%Y-%m") for a in activities],
            "hours": [clock_hours(a.amount, a.unit) for a in activities],
        }
    )
    logged = frame.groupby("month")["hours"].sum()
    months = pd.period_range(logged.index.min(), logged.index.max(), freq="M").strftime("%Y-%m")
    monthly = logged.reindex(months, fill_value=0.0).rename_axis("month").reset_index()
    monthly["cumulative"] = monthly["hours"].cumsum()
    return monthly
