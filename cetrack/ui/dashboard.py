"""Dashboard: one card per license and certification, and the hours logged over time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cetrack.services import activities, credentials, evaluation, plan
from cetrack.services.timeline import hours_by_month
from cetrack.ui.state import plain, require_actor, today, viewed_person, workspace
from cetrack.wording import (
    STATUS_WORDS,
    attested_text,
    dependency_line,
    hours,
    joint_plan_headline,
    joint_plan_line,
    logged_reminder_line,
    note_text,
    pace_sentence,
    plan_line,
    progress,
    reason_text,
    total_sentence,
    unconfirmed_mark,
)

STATUS_ICONS = {
    "compliant": ":material/check_circle:",
    "incomplete": ":material/pending:",
    "exempt": ":material/do_not_disturb_on:",
    "invalid": ":material/block:",
}

ws = workspace()
actor, me = require_actor(ws)
person, someone_else = viewed_person(ws, actor, me)
day = today()
with ws.transaction() as session:
    held = credentials.list_credentials(session, actor=actor, person=person)
    logged = activities.list_activities(session, actor=actor, person=person)
    statuses = evaluation.credential_statuses(
        session, actor=actor, person=person, registry=ws.registry, today=day
    )
titles = {str(activity.id): activity.title for activity in logged}

st.title(f"{plain(person.name)}'s dashboard")
if someone_else:
    st.info(
        "Read-only: you are viewing a member of your organization.", icon=":material/visibility:"
    )
overview = [
    {
        "License or certification": status.rule.id,
        "Status": STATUS_WORDS[status.result.status] if status.result else "Cannot evaluate",
        "Deadline": status.result.deadline if status.result else None,
        "Days left": status.result.days_left(day) if status.result else None,
        "Hours still needed": status.result.minimal_additional if status.result else None,
    }
    for status in statuses
]
if overview:
    st.dataframe(pd.DataFrame(overview), hide_index=True, width="stretch", key="overview")
with ws.transaction() as session:
    together = plan.joint_plan(
        session, actor=actor, person=person, registry=ws.registry, today=day, statuses=statuses
    )
if together:
    st.subheader("One plan for every credential", anchor=False)
    st.markdown(
        f"**{joint_plan_headline(together)}** (one course counts toward every credential it "
        "fits):\n" + "\n".join(f"- {joint_plan_line(item)}" for item in together.items)
    )
for credential in evaluation.without_rule(held, ws.registry):
    st.error(
        f"{credential.rule_id} (No. {plain(credential.number or '?')}) cannot be evaluated: "
        "its rule file is missing or was rejected. The Rules page lists the problems."
    )
if not held:
    st.info("Add a license or certification to see what each one needs.")
    st.page_link("cetrack/ui/credentials.py", label="Add a license", icon=":material/add:")


def requirement_bar(label: str, item, due) -> None:
    share = 1.0 if item.required == 0 else min(item.counted / item.required, 1.0)
    suffix = f" (due {due})" if due else ""
    st.progress(share, text=f"{label}: {progress(item)}{suffix}")


def excluded_rows(result) -> pd.DataFrame:
    rows = [
        {
            "Activity": titles.get(item.id, item.id),
            "Hours not counted": reason.hours,
            "Why": reason_text(reason),
        }
        for item in result.activities
        for reason in item.reasons
        if reason.hours
    ]
    return pd.DataFrame(rows)


def ce_progress(status, result) -> None:
    """The deadline, the hours toward the total and each requirement, what is still needed and
    the pace."""
    deadline, left, total = st.columns(3)
    deadline.metric("Deadline", str(result.deadline))
    left.metric("Days left", result.days_left(day))
    total.metric("Hours toward the total", progress(result.total))
    st.caption(total_sentence(result))
    requirement_bar(
        "Total" + unconfirmed_mark(status.rule, result.total_source), result.total, None
    )
    for item in result.requirements:
        label = item.title + unconfirmed_mark(status.rule, item.source)
        if item.attested_on:
            label += f" ({attested_text(item)})"
        requirement_bar(label, item, item.due)
    if result.plan:
        st.markdown(f"**Still needed** ({hours(result.minimal_additional)} at the least):")
        st.markdown("\n".join(f"- {plan_line(item, result)}" for item in result.plan))
    else:
        st.markdown("**Nothing is missing** for this cycle.")
    if status.pace:
        sentence = pace_sentence(status.pace, result.deadline)
        (st.success if status.pace.on_track else st.warning)(sentence)


for status in statuses:
    credential = status.credential
    with st.container(border=True, key=f"card_{credential.id}"):
        number = f" · No. {credential.number}" if credential.number else ""
        st.subheader(plain(f"{status.rule.id} — {status.rule.title}{number}"), anchor=False)
        result = status.result
        if result is None:
            st.warning(f"Cannot evaluate this credential: {status.error}")
            continue
        st.markdown(
            f"{STATUS_ICONS[result.status]} **{STATUS_WORDS[result.status]}** · cycle "
            f"{result.cycle.start} to {result.cycle.end}"
        )
        home = result.home
        if home:
            (st.info if home.valid else st.error)(dependency_line(home))
        days_left = result.days_left(day)
        if days_left < 0 and not (home and home.expires_with_home):
            st.error(
                f"The deadline {result.deadline} has passed. If you renewed, enter the new "
                "expiration on the Licenses & certifications page."
            )
        if not (home and home.ce_follows_home):
            ce_progress(status, result)
        excluded = excluded_rows(result)
        if not excluded.empty:
            with st.expander(f"Why {hours(excluded['Hours not counted'].sum())} did not count"):
                st.dataframe(excluded, hide_index=True, width="stretch")
        reminders = [
            *(
                logged_reminder_line(item, {key: plain(title) for key, title in titles.items()})
                for item in result.reminders_logged
            ),
            *result.not_evaluated,
            *(note_text(note) for note in result.notes),
        ]
        if reminders:
            with st.expander("Also check (cetrack does not verify these)"):
                for line in reminders:
                    st.markdown(f"- {line}")

st.subheader("Hours logged")
monthly = hours_by_month(logged)
if monthly.empty:
    st.caption("No activities yet.")
else:
    st.bar_chart(monthly, x="month", y="hours", y_label="clock hours logged", x_label="month")
    st.caption(f"{hours(monthly['cumulative'].iloc[-1])} logged in all (in clock hours).")
