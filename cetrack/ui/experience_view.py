"""How an associate's progress is shown: requirements, the projected date, advice, and why each
excluded hour did not count (worded by cetrack.wording, as in the packet)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cetrack.db.models import SupervisionLog
from cetrack.engine.results import SupervisionResult
from cetrack.wording import hours, note_text, reason_text


def show_progress(result: SupervisionResult, logs: list[SupervisionLog]) -> None:
    left, middle, right = st.columns(3)
    left.metric("Eligible", "Yes" if result.eligible else "Not yet")
    projected = result.projected_eligible
    middle.metric(
        "Eligible on" if result.eligible else "Projected eligibility",
        projected.isoformat() if projected else "No projection",
    )
    right.metric("Recent pace", f"{hours(result.pace_per_week.get('total_hours', 0))} a week")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Requirement": item.title,
                    "Required": item.required,
                    "Counted": item.counted,
                    "Remaining": item.remaining,
                }
                for item in result.requirements
            ]
        ),
        hide_index=True,
        use_container_width=True,
    )
    for note in result.notes:
        st.info(note_text(note), icon=":material/lightbulb:")
    periods = {str(log.id): f"{log.start.isoformat()} to {log.end.isoformat()}" for log in logs}
    excluded = [
        {
            "Period": periods.get(item.id, item.id),
            "Hours not counted": item.excluded,
            "Supervision not counted": item.excluded_supervision,
            "Why": "; ".join(reason_text(reason) for reason in item.reasons),
        }
        for item in result.logs
        if item.reasons
    ]
    if excluded:
        st.subheader("Hours that did not count")
        st.dataframe(pd.DataFrame(excluded), hide_index=True, use_container_width=True)
