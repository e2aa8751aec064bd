"""The form of one supervised-experience period, for a new log, a correction or an amendment."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from cetrack.db.models import SupervisionRelationship
from cetrack.inputs import EARLIEST_DATE, LATEST_DATE
from cetrack.services.supervision import relationship_label

HOUR_LABELS = {
    "direct": "Direct client contact (h)",
    "telehealth": "of it by telehealth (h)",
    "couples_family": "of it with couples or families (h)",
    "indirect": "Other clinical hours (h)",
    "individual_supervision": "Individual supervision (h)",
    "triadic_supervision": "Triadic supervision (h)",
    "group_supervision": "Group supervision (h)",
}


def blank_week(day: date) -> dict:
    """A new form: the week (Monday to Sunday) before the one `day` is in."""
    monday = day - timedelta(days=day.weekday() + 7)
    return {"start": monday, "end": monday + timedelta(days=6)}


def log_form(
    key: str, supervisors: list[SupervisionRelationship], values: dict, submit: str
) -> dict | None:
    """The entered period when `submit` is clicked, else None."""
    labels = [relationship_label(item) for item in supervisors]
    ids = [item.id for item in supervisors]
    chosen = values.get("relationship_id")
    with st.form(key):
        supervisor = st.selectbox(
            "Supervisor", labels, index=ids.index(chosen) if chosen in ids else len(ids) - 1
        )
        left, right = st.columns(2)
        start = left.date_input(
            "From", value=values["start"], min_value=EARLIEST_DATE, max_value=LATEST_DATE
        )
        end = right.date_input(
            "To", value=values["end"], min_value=EARLIEST_DATE, max_value=LATEST_DATE
        )
        entered = {}
        columns = st.columns(3)
        for position, (name, label) in enumerate(HOUR_LABELS.items()):
            entered[name] = columns[position % 3].number_input(
                label,
                min_value=0.0,
                max_value=744.0,
                step=0.5,
                value=float(values.get(name) or 0.0),
                key=f"{key}_{name}",
            )
        left, right = st.columns(2)
        group_size = left.number_input(
            "Supervisees in the group (0: no group)",
            min_value=0,
            max_value=100,
            value=int(values.get("group_size") or 0),
        )
        video = right.checkbox("Supervision by video", value=bool(values.get("video")))
        setting = st.text_input("Setting", value=values.get("setting", ""))
        notes = st.text_area("Notes", value=values.get("notes", ""))
        if not st.form_submit_button(submit, type="primary"):
            return None
    return {
        "relationship_id": ids[labels.index(supervisor)],
        "start": start,
        "end": end,
        **entered,
        "group_size": group_size or None,
        "video": video,
        "setting": setting,
        "notes": notes,
    }
