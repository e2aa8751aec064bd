"""Reports: the audit packet, the CE log as CSV/XLSX, a PDF per license, the calendar."""

from __future__ import annotations

import streamlit as st

from cetrack.services import credentials, evaluation, reports
from cetrack.services.backup import backup_bytes
from cetrack.services.errors import ExportError
from cetrack.ui.state import require_actor, today, workspace

ws = workspace()
actor, person = require_actor(ws)
slug = person.email.split("@")[0]
st.title("Reports")

with ws.transaction() as session:
    unusable = evaluation.without_rule(
        credentials.list_credentials(session, actor=actor, person=person), ws.registry
    )
for credential in unusable:
    st.warning(f"{credential.rule_id} is left out of the reports: its rule file is not loaded.")


def prepared_download(
    name: str, prepare: str, working: str, build, *, label: str, file_name: str, primary=False
) -> None:
    """A ZIP built on request (it can take a while), then offered for download."""
    if st.button(prepare, type="primary" if primary else "secondary", key=f"prepare_{name}"):
        try:
            with st.spinner(working), ws.transaction() as session:
                st.session_state[name] = build(session)
        except ExportError as error:
            st.error(f"It could not be made: {error}")
    if name in st.session_state:
        st.download_button(
            label,
            st.session_state[name],
            file_name=file_name,
            mime="application/zip",
            key=f"download_{name}",
            on_click="ignore",
        )


st.subheader("Audit packet")
st.write(
    "One ZIP for an audit: a PDF summary per license (the cycle, each requirement, every "
    "activity and how it counted), the CE log as CSV, your certificate files, and a "
    "manifest with the SHA-256 of every file."
)
prepared_download(
    "packet",
    "Prepare the audit packet",
    "Evaluating and packing ...",
    lambda session: reports.packet_bytes(session, ws, actor=actor, person=person, today=today()),
    label="Download the audit packet (.zip)",
    file_name=f"cetrack-audit-{slug}-{today()}.zip",
    primary=True,
)

st.subheader("CE log")


def built(build):
    """A download's content, made only when its button is clicked (in its own transaction)."""

    def content() -> bytes:
        with ws.transaction() as session:
            return build(session)

    return content


left, right = st.columns(2)
left.download_button(
    "CSV",
    built(lambda session: reports.activities_csv(session, ws, actor=actor, person=person)),
    file_name=f"cetrack-log-{slug}.csv",
    mime="text/csv",
    on_click="ignore",
)
right.download_button(
    "Excel (XLSX)",
    built(lambda session: reports.activities_xlsx(session, ws, actor=actor, person=person)),
    file_name=f"cetrack-log-{slug}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
)

st.subheader("Summary per license")
with ws.transaction() as session:
    held = credentials.list_credentials(session, actor=actor, person=person)
for credential in held:
    if credential.rule_id not in ws.registry:
        continue
    number = f" No. {credential.number}" if credential.number else ""
    st.download_button(
        f"{credential.rule_id}{number} summary (PDF)",
        built(
            lambda session, credential_id=credential.id: reports.summary_pdf(
                session, ws, actor=actor, credential_id=credential_id, today=today()
            )
        ),
        file_name=f"cetrack-{credential.rule_id.replace('/', '_')}-{today()}.pdf",
        mime="application/pdf",
        key=f"pdf_{credential.id}",
        on_click="ignore",
    )

st.subheader("Calendar")
st.write("Deadlines and CE milestones for your calendar app; re-importing updates the events.")
alarms = st.multiselect(
    "Reminders (days before)",
    [180, 120, 90, 60, 30, 14, 7, 3, 1],
    default=[90, 30, 7],
    key="alarm_days",
)
alarm_days = tuple(sorted(alarms, reverse=True))
day = today()
st.download_button(
    "Download the calendar (.ics)",
    built(
        lambda session: reports.calendar_bytes(
            session, ws, actor=actor, person=person, today=day, alarms=alarm_days
        )
    ),
    file_name=f"cetrack-{slug}.ics",
    mime="text/calendar",
    key="download_ics",
    on_click="ignore",
)

st.subheader("Backup")
st.write(
    "Everything in this database (your records, the audit trail, your certificate files) in one "
    "archive with a checksum for every file. Restore it into a new installation from the "
    "Welcome page, or with `cetrack restore FILE`."
)
prepared_download(
    "backup",
    "Prepare a backup",
    "Packing ...",
    lambda session: backup_bytes(session, ws, actor=actor),
    label="Download the backup (.zip)",
    file_name=f"cetrack-backup-{today()}.zip",
)
