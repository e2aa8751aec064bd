"""Supervision: a supervisor's associates in one table (who is behind, whose logs await a
signature, whose qualifying period ends soon) and the logs to sign or return."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cetrack.services import experience, people, signoff
from cetrack.ui.state import plain, require_actor, save_then_rerun, today, workspace
from cetrack.wording import hours

ws = workspace()
actor, me = require_actor(ws)
day = today()
with ws.transaction() as session:
    rows = experience.associate_rows(
        session, actor=actor, person_ids=actor.supervised, registry=ws.registry, today=day
    )
    waiting = signoff.awaiting_review(session, actor=actor)
    names = {
        person_id: people.get_person(session, actor=actor, person_id=person_id).name
        for person_id in {log.person_id for log in waiting}
    }

st.title("Supervision")
if not rows and not waiting:
    st.info(
        "Nobody has named you as their supervisor yet. An associate adds you on their "
        "Supervised hours page, with your email."
    )
    st.stop()

st.dataframe(
    pd.DataFrame(
        [
            {
                "Associate": row.name,
                "Toward": row.rule_id,
                "Behind": "Yes" if row.behind else "",
                "Projected eligibility": row.projected_eligible,
                "Awaiting your signature": row.awaiting_signature,
                "Returned": row.returned,
                "Period ends": row.period_ends,
                "Ends soon": "Yes" if row.ends_soon else "",
                "Progress": f"/supervised_hours?person={row.person_id}",
            }
            for row in rows
        ]
    ),
    hide_index=True,
    use_container_width=True,
    column_config={"Progress": st.column_config.LinkColumn("Progress", display_text="Open")},
)

st.header("Logs awaiting your signature")
if not waiting:
    st.caption("Nothing to sign.")
for log in waiting:
    title = f"{plain(names[log.person_id])}: {log.start.isoformat()} to {log.end.isoformat()}" + (
        " (amendment)" if log.amends_id else ""
    )
    with st.container(border=True):
        st.markdown(f"**{title}**")
        st.write(
            f"Direct {hours(log.direct)} (telehealth {hours(log.telehealth)}, couples/family "
            f"{hours(log.couples_family)}), other clinical {hours(log.indirect)}; supervision: "
            f"individual {hours(log.individual_supervision)}, triadic "
            f"{hours(log.triadic_supervision)}, group {hours(log.group_supervision)}"
            + (f" in a group of {log.group_size}" if log.group_size else "")
            + (", by video" if log.video else "")
        )
        if log.setting or log.notes:
            st.caption(plain(" · ".join(part for part in (log.setting, log.notes) if part)))
        left, right = st.columns([1, 3])
        if left.button("Sign", key=f"sign_{log.id}", type="primary"):
            save_then_rerun(
                ws,
                lambda session, log=log: signoff.sign_log(session, actor=actor, log_id=log.id),
                "Signed: the log is locked.",
            )
        with right.popover("Return with a comment"):
            comment = st.text_area("What should be corrected?", key=f"comment_{log.id}")
            if st.button("Return", key=f"return_{log.id}"):
                save_then_rerun(
                    ws,
                    lambda session, log=log, comment=comment: signoff.return_log(
                        session, actor=actor, log_id=log.id, comment=comment
                    ),
                    "Returned to the associate.",
                )
