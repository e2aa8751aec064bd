"""Audit trail: every change to the organization's people, licenses, activities,
verifications and accounts, for its admins and HR; filtered, exported, never edited."""

from __future__ import annotations

import streamlit as st

from cetrack.roles import ADMIN, HR
from cetrack.services import audit_trail
from cetrack.ui.state import organization_for, plain, require_actor, workspace

RECORDS = [
    "person",
    "membership",
    "account",
    "credential",
    "activity",
    "certificate",
    "verification",
    "notice",
    "roster",
    "organization",
]

ws = workspace()
actor, me = require_actor(ws)
place = organization_for(ws, actor, {HR, ADMIN})
st.title(f"Audit trail of {plain(place.name)}")
st.caption(
    "Every change, who made it and when, with the values before and after. Nothing here can "
    "be edited; `cetrack audit verify` checks that nothing was changed in the database either."
)
columns = st.columns(4)
filters = audit_trail.TrailFilters(
    entities=tuple(columns[0].multiselect("Record", RECORDS, key="trail_records")),
    email=columns[1].text_input("Person or actor (email)", key="trail_email"),
    since=columns[2].date_input("From", value=None, key="trail_since"),
    until=columns[3].date_input("To", value=None, key="trail_until"),
)
with ws.transaction() as session:
    entries = audit_trail.trail(
        session, actor=actor, organization=place, filters=filters, limit=500
    )
st.write(f"{len(entries)} event(s)" + (" (the newest 500)" if len(entries) == 500 else ""))
st.dataframe(audit_trail.trail_frame(entries), hide_index=True, width="stretch", key="trail_table")
if st.button("Prepare the CSV of these events", key="prepare_trail"):
    with ws.transaction() as session:
        st.session_state["trail_csv"] = audit_trail.trail_csv(
            session, actor=actor, organization=place, filters=filters
        )
if st.session_state.get("trail_csv"):
    st.download_button(
        "Download the audit trail (CSV)",
        st.session_state["trail_csv"],
        file_name="audit-trail.csv",
        mime="text/csv",
        key="download_trail",
    )
