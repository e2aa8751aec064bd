"""Dashboard: one card per license and certification, and the hours logged over time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cetrack.services import activities, credentials, evaluation
from cetrack.services.timeline import hours_by_month
from cetrack.ui.format import STATUS_ICONS, STATUS_WORDS, hours, plan_line
from cetrack.ui.state import require_person, today, workspace

ws = workspace()
person = require_person(ws)
with ws.transaction() as session:
    held = credentials.list_credentials(session, person=person)
    logged = activities.list_activities(session, person=person)
    statuses = evaluation.credential_statuses(
        session, person=person, credentials=held, registry=ws.registry, today=today()
    )
titles = {str(activity.id): activity.title for activity in logged}

st.title(f"{person.name}'s dashboard")
overview = [
    {
        "License or certification": status.rule.id,
        "Status": STATUS_WORDS[status.result["status"]] if status.result else "Cannot evaluate",
        "Deadline": status.result["deadline"] if status.result else None,
        "Days left": status.result["days_left"] if status.result else None,
        "Hours still needed": status.result["minimal_additional"] if status.result else None,
    }
    for status in statuses
]
if overview:
    st.dataframe(pd.DataFrame(overview), hide_index=True, width="stretch", key="overview")
for credential in evaluation.without_rule(held, ws.registry):
    st.error(
        f"{credential.rule_id} (No. {credential.number or '?'}) cannot be evaluated: its rule "
        "file is missing or was rejected. The Rules page lists the problems."
    )
if not held:
    st.info("Add a license or certification to see what each one needs.")
    st.page_link("cetrack/ui/credentials.py", label="Add a license", icon=":material/add:")


def requirement_bar(label: str, required: float, counted: float, due: str | None) -> None:
    share = 1.0 if required == 0 else min(counted / required, 1.0)
    suffix = f" (due {due})" if due else ""
    st.progress(
        share, text=f"{label}: {hours(min(counted, required))} of {hours(required)}{suffix}"
    )


def excluded_rows(result: dict) -> pd.DataFrame:
    rows = [
        {
            "Activity": titles.get(item["id"], item["id"]),
            "Hours not counted": reason["hours"],
            "Why": reason["message"],
        }
        for item in result["activities"]
        for reason in item["reasons"]
        if reason["hours"]
    ]
    return pd.DataFrame(rows)


for status in statuses:
    with st.container(border=True, key=f"card_{status.rule.id.replace('/', '_')}"):
        credential = status.credential
        number = f" · No. {credential.number}" if credential.number else ""
        st.subheader(f"{status.rule.id} — {status.rule.title}{number}")
        result = status.result
        if result is None:
            st.warning(f"Cannot evaluate this credential: {status.error}")
            continue
        st.markdown(
            f"{STATUS_ICONS[result['status']]} **{STATUS_WORDS[result['status']]}** · cycle "
            f"{result['cycle']['start']} to {result['cycle']['end']}"
        )
        if result["days_left"] < 0:
            st.error(
                f"The deadline {result['deadline']} has passed. If you renewed, enter the new "
                "expiration on the Licenses & certifications page."
            )
        deadline, left, total = st.columns(3)
        deadline.metric("Deadline", result["deadline"])
        left.metric("Days left", result["days_left"])
        total.metric(
            "Hours counted", f"{result['total']['counted']:g} / {result['total']['required']:g}"
        )
        requirement_bar("Total", result["total"]["required"], result["total"]["counted"], None)
        for item in result["requirements"]:
            requirement_bar(item["title"], item["required"], item["counted"], item.get("due"))
        if result["plan"]:
            st.markdown(f"**Still needed** ({hours(result['minimal_additional'])} at the least):")
            titles_by_id = {item["id"]: item["title"] for item in result["requirements"]}
            st.markdown("\n".join(f"- {plan_line(item, titles_by_id)}" for item in result["plan"]))
        else:
            st.markdown("**Nothing is missing** for this cycle.")
        if status.pace:
            sentence = status.pace.sentence(result["deadline"])
            (st.success if status.pace.on_track else st.warning)(sentence)
        excluded = excluded_rows(result)
        if not excluded.empty:
            with st.expander(f"Why {hours(excluded['Hours not counted'].sum())} did not count"):
                st.dataframe(excluded, hide_index=True, width="stretch")
        if result["not_evaluated"] or result["notes"]:
            with st.expander("Also check (cetrack does not verify these)"):
                for line in result["not_evaluated"] + result["notes"]:
                    st.markdown(f"- {line}")

st.subheader("Hours logged")
monthly = hours_by_month(logged)
if monthly.empty:
    st.caption("No activities yet.")
else:
    st.bar_chart(monthly, x="month", y="hours", y_label="hours logged", x_label="month")
    st.caption(f"{hours(monthly['cumulative'].iloc[-1])} logged in all.")
