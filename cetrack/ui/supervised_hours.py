"""Supervised hours: an associate's path to licensure, supervisors, weekly logs (one form,
"copy last week", many weeks in a table), corrections and amendments, and progress.

A supervisor opening `?person=ID` sees their associate's page read-only."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from cetrack.importers.supervision_csv import TEMPLATE
from cetrack.services import experience, supervision, supervision_logs, supervision_reports
from cetrack.supervision_inputs import HOUR_FIELDS
from cetrack.ui.experience_view import show_progress
from cetrack.ui.log_form import HOUR_LABELS, blank_week, log_form
from cetrack.ui.state import (
    opened_version,
    plain,
    preview_of_upload,
    require_actor,
    save_then_rerun,
    today,
    viewed_person,
    workspace,
)

STATUS_WORDS = {"pending": "Awaiting signature", "returned": "Returned", "signed": "Signed"}

ws = workspace()
actor, me = require_actor(ws)
person, someone_else = viewed_person(ws, actor, me)
day = today()
with ws.transaction() as session:
    paths = supervision.list_paths(session, actor=actor, person=person)
    supervisors = supervision.list_supervisors(session, actor=actor, person=person)
    logs = supervision_logs.list_logs(session, actor=actor, person=person)
    replaced = supervision_logs.superseded_ids(session, actor=actor, person=person)
    results = [
        (
            path,
            experience.progress(session, actor=actor, path=path, registry=ws.registry, today=day),
        )
        for path in paths
        if path.rule_id in ws.registry
    ]

st.title(f"{plain(person.name)}'s supervised hours")
if someone_else:
    st.info("Read-only: these are someone else's records.", icon=":material/visibility:")


def path_form() -> None:
    choices = [
        rule_id for rule_id in ws.registry.ids() if ws.registry.get(rule_id).supervised_experience
    ]
    with st.form("new_path"):
        rule_id = st.selectbox("License you are working toward", choices)
        started = st.date_input("Supervised experience began", value=day)
        left, right = st.columns(2)
        number = left.text_input("Associate registration number")
        issued = right.date_input("Registration issued", value=None)
        if st.form_submit_button("Start tracking", type="primary"):
            data = {
                "rule_id": rule_id,
                "started_on": started,
                "registration_number": number,
                "registration_issued": issued,
            }
            save_then_rerun(
                ws,
                lambda session: supervision.add_path(
                    session, actor=actor, person=person, data=data, registry=ws.registry, today=day
                ),
                f"Tracking your supervised experience toward {rule_id}.",
            )


def supervisor_form(key: str, current=None) -> None:
    version = opened_version(key, current.version) if current else None
    with st.form(key):
        left, right = st.columns(2)
        name = left.text_input(
            "Supervisor's name", value=current.supervisor_name if current else ""
        )
        email = right.text_input(
            "Supervisor's email (links them when they use cetrack)",
            value=current.supervisor_email if current else "",
        )
        license_, number, expires = st.columns(3)
        data = {
            "supervisor_name": name,
            "supervisor_email": email,
            "supervisor_license": license_.text_input(
                "License (e.g. TX LPC)", value=current.supervisor_license if current else ""
            ),
            "supervisor_license_number": number.text_input(
                "License number", value=current.supervisor_license_number if current else ""
            ),
            "supervisor_license_expires": expires.date_input(
                "License expires", value=current.supervisor_license_expires if current else None
            ),
        }
        credential, since, until = st.columns(3)
        data |= {
            "supervisor_credential": credential.text_input(
                "Supervisor credential (e.g. LPC-S)",
                value=current.supervisor_credential if current else "",
            ),
            "supervisor_credential_since": since.date_input(
                "Held since", value=current.supervisor_credential_since if current else None
            ),
            "supervisor_credential_until": until.date_input(
                "Held until", value=current.supervisor_credential_until if current else None
            ),
        }
        setting, starts, ends = st.columns(3)
        data |= {
            "setting": setting.text_input("Setting", value=current.setting if current else ""),
            "starts_on": starts.date_input(
                "Supervision began", value=current.starts_on if current else day
            ),
            "ends_on": ends.date_input(
                "Supervision ended", value=current.ends_on if current else None
            ),
        }
        if not st.form_submit_button("Save supervisor", type="primary"):
            return
    state = paths[0].rule_id.split("/")[0] if paths else None

    def change(session) -> None:
        if current is None:
            supervision.add_supervisor(session, actor=actor, person=person, data=data, state=state)
        else:
            supervision.update_supervisor(
                session,
                actor=actor,
                relationship_id=current.id,
                data=data,
                expected_version=version,
                state=state,
            )

    save_then_rerun(ws, change, f"Saved {data['supervisor_name']}.", forget=key)


def logs_frame() -> pd.DataFrame:
    names = {item.id: item.supervisor_name for item in supervisors}
    return pd.DataFrame(
        [
            {
                "From": log.start,
                "To": log.end,
                "Supervisor": names.get(log.relationship_id, ""),
                **{HOUR_LABELS[name]: getattr(log, name) for name in HOUR_FIELDS},
                "Status": STATUS_WORDS[log.status]
                + (" (replaced by an amendment)" if log.id in replaced else "")
                + (" (amendment)" if log.amends_id else ""),
                "Supervisor's comment": log.review_comment,
            }
            for log in logs
        ]
    )


def weeks_editor() -> None:
    """Many weeks at once, each row checked; nothing is saved unless every row passes."""
    last = supervisors[-1]
    start = blank_week(day)["start"]
    template = pd.DataFrame(
        [
            {
                "start": start - timedelta(weeks=offset),
                "end": start - timedelta(weeks=offset) + timedelta(days=6),
                **dict.fromkeys(HOUR_FIELDS, 0.0),
            }
            for offset in range(3, -1, -1)
        ]
    )
    edited = st.data_editor(
        template,
        num_rows="dynamic",
        use_container_width=True,
        column_config={
            "start": st.column_config.DateColumn("From"),
            "end": st.column_config.DateColumn("To"),
            **{
                name: st.column_config.NumberColumn(label, min_value=0.0)
                for name, label in HOUR_LABELS.items()
            },
        },
        key="weeks_editor",
    )
    if st.button(f"Save these weeks under {last.supervisor_name}", key="save_weeks"):
        rows = [
            {**row, "relationship_id": last.id}
            for row in edited.dropna(subset=["start", "end"]).to_dict("records")
        ]
        save_then_rerun(
            ws,
            lambda session: supervision_logs.add_logs(
                session, actor=actor, person=person, rows=rows, today=day
            ),
            f"Saved {len(rows)} weeks; they await your supervisor's signature.",
        )


def log_changes() -> None:
    """Correct a pending or returned log; amend a signed one."""
    for log in logs:
        if log.id in replaced:
            continue
        label = f"{log.start.isoformat()} to {log.end.isoformat()}: {STATUS_WORDS[log.status]}"
        with st.expander(label):
            if log.status == "returned":
                st.warning(f"Your supervisor returned it: {plain(log.review_comment)}")
            values = {name: getattr(log, name) for name in (*HOUR_FIELDS, "start", "end")}
            values |= {
                "relationship_id": log.relationship_id,
                "group_size": log.group_size,
                "video": log.video,
                "setting": log.setting,
                "notes": log.notes,
            }
            if log.status == "signed":
                st.caption("Signed logs are locked. An amendment replaces it once signed.")
                entered = log_form(f"amend_{log.id}", supervisors, values, "Submit amendment")
                if entered:
                    save_then_rerun(
                        ws,
                        lambda session, entered=entered, log=log: supervision_logs.amend_log(
                            session, actor=actor, log_id=log.id, data=entered, today=day
                        ),
                        "Amendment submitted for your supervisor's signature.",
                    )
                continue
            key = f"edit_log_{log.id}_{log.status}"  # a review starts a new form
            version = opened_version(key, log.version)
            entered = log_form(key, supervisors, values, "Save and resubmit")
            if entered:
                save_then_rerun(
                    ws,
                    lambda session, entered=entered, log=log, version=version: (
                        supervision_logs.update_log(
                            session,
                            actor=actor,
                            log_id=log.id,
                            data=entered,
                            today=day,
                            expected_version=version,
                        )
                    ),
                    "Saved; it awaits your supervisor's signature again.",
                    forget=key,
                )
            if st.button("Delete this log", key=f"delete_log_{log.id}"):
                save_then_rerun(
                    ws,
                    lambda session, log=log: supervision_logs.delete_log(
                        session, actor=actor, log_id=log.id
                    ),
                    "Log deleted.",
                )


def exports(path) -> None:
    """The verification packet and the reminders, made when asked (not on every rerun)."""
    key = f"experience_exports_{path.id}"
    if st.button("Prepare the verification packet", key=f"prepare_{path.id}"):
        with ws.transaction() as session:
            st.session_state[key] = (
                supervision_reports.packet_bytes(
                    session, ws, actor=actor, person=person, path=path, today=day
                ),
                supervision_reports.reminders_ics(
                    session, ws, actor=actor, person=person, path=path, today=day
                ),
            )
    if key not in st.session_state:
        return
    packet, reminders = st.session_state[key]
    slug = path.rule_id.replace("/", "-")
    left, right = st.columns(2)
    left.download_button(
        "Verification packet (ZIP)",
        packet,
        file_name=f"supervised-experience-{slug}.zip",
        mime="application/zip",
    )
    right.download_button(
        "Reminders (.ics)", reminders, file_name=f"supervision-{slug}.ics", mime="text/calendar"
    )


def import_logs() -> None:
    """Weeks from another tracker's CSV: every row checked first, nothing written until
    confirmed (and everything checked again then)."""
    last = supervisors[-1]
    st.download_button("CSV template", TEMPLATE, file_name="supervision-template.csv")
    uploaded = st.file_uploader("CSV file of weeks", type=["csv"], key="supervision_csv")
    if uploaded is None:
        return
    with ws.transaction() as session:
        report = preview_of_upload(
            uploaded,
            "supervision_import_preview",
            lambda content: supervision_reports.preview_log_import(
                session,
                actor=actor,
                person=person,
                content=content,
                relationship_id=last.id,
                today=day,
            ),
        )
    if report is None:
        return
    st.write(f"{len(report.ready)} row(s) ready, {len(report.rejected)} rejected")
    if report.rejected:
        st.dataframe(
            pd.DataFrame(
                [
                    {"Line": row.line, "Why": "; ".join(f"{k}: {v}" for k, v in row.errors.items())}
                    for row in report.rejected
                ]
            ),
            hide_index=True,
        )
        st.caption("Correct the rejected rows and upload the file again: nothing was written.")
        return
    if report.ready and st.button(f"Import {len(report.ready)} weeks under {last.supervisor_name}"):
        content = uploaded.getvalue()
        save_then_rerun(
            ws,
            lambda session: supervision_reports.commit_log_import(
                session,
                actor=actor,
                person=person,
                content=content,
                relationship_id=last.id,
                today=day,
            ),
            f"Imported {len(report.ready)} weeks; they await your supervisor's signature.",
        )


for path, result in results:
    st.header(f"Toward {path.rule_id}")
    st.caption(f"{result.experience}, from {path.started_on.isoformat()}")
    show_progress(result, logs)
    exports(path)

if someone_else:
    st.header("Logs")
    st.dataframe(logs_frame(), hide_index=True, use_container_width=True)
    st.stop()

if not paths:
    st.subheader("Start tracking supervised experience")
    path_form()
    st.stop()

st.header("Supervisors")
for item in supervisors:
    with st.expander(supervision.relationship_label(item)):
        supervisor_form(f"supervisor_{item.id}", item)
with st.expander("Add a supervisor", expanded=not supervisors):
    supervisor_form("new_supervisor")
if not supervisors:
    st.stop()

st.header("Log a week")
with ws.transaction() as session:
    copied = supervision_logs.next_week(session, actor=actor, person=person)
if st.session_state.get("copy_last_week") and copied:
    values = copied
else:
    values = blank_week(day) | {"relationship_id": supervisors[-1].id}
if copied and st.button("Copy last week", icon=":material/content_copy:"):
    st.session_state["copy_last_week"] = True
    st.rerun()
entered = log_form("new_log", supervisors, values, "Submit for signature")
if entered:
    st.session_state.pop("copy_last_week", None)
    save_then_rerun(
        ws,
        lambda session: supervision_logs.add_log(
            session, actor=actor, person=person, data=entered, today=day
        ),
        "Logged; it awaits your supervisor's signature.",
    )
with st.expander("Many weeks at once"):
    weeks_editor()
with st.expander("Import weeks from another tracker (CSV)"):
    import_logs()

st.header("Logs")
if logs:
    st.dataframe(logs_frame(), hide_index=True, use_container_width=True)
    log_changes()
else:
    st.caption("No logs yet.")
