"""CE log: log an activity with its certificate, search, edit, delete with undo, import CSV."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from cetrack.importers.ce_csv import TEMPLATE, commit_import, preview_import
from cetrack.rules.vocabulary import ACTIVITY_TYPES, CATEGORIES, FORMATS, UNITS
from cetrack.services import activities, audit, certificates
from cetrack.services.errors import InputError, NotFound
from cetrack.ui.format import FORMAT_WORDS, category_label
from cetrack.ui.state import flash, require_person, today, workspace

ws = workspace()
person = require_person(ws)
st.title("CE log")
st.caption(
    "Log each activity once: it counts toward every license it can, each under its own rules."
)


def show_errors(error: InputError) -> None:
    for field, message in error.errors.items():
        st.error(f"{field.replace('_', ' ').capitalize()}: {message}")


def activity_form(key: str, current=None) -> tuple[dict, object] | None:
    with st.form(key, clear_on_submit=current is None):
        title = st.text_input("Title", value=current.title if current else "")
        provider = st.text_input("Provider", value=current.provider if current else "")
        left, middle, right = st.columns(3)
        completed = left.date_input(
            "Completed",
            value=current.completed if current else today(),
            min_value=date(1990, 1, 1),
            max_value=today(),
        )
        amount = middle.number_input(
            "Amount",
            min_value=0.0,
            max_value=1000.0,
            step=0.5,
            value=float(current.hours) if current else 1.0,
        )
        unit = right.selectbox(
            "Unit",
            list(UNITS),
            index=list(UNITS).index(current.unit) if current else 0,
            format_func=lambda unit: unit.replace("_", " "),
        )
        categories = st.multiselect(
            "Topics (categories)",
            [c for c in CATEGORIES if c != "general"],
            default=current.categories if current else [],
            format_func=category_label,
        )
        left, right = st.columns(2)
        fmt = left.selectbox(
            "Format",
            list(FORMATS),
            index=list(FORMATS).index(current.format) if current else 0,
            format_func=FORMAT_WORDS.get,
        )
        kind = right.selectbox(
            "Type",
            list(ACTIVITY_TYPES),
            index=list(ACTIVITY_TYPES).index(current.type) if current else 0,
            format_func=lambda kind: kind.replace("_", " "),
        )
        notes = st.text_area("Notes", value=current.notes if current else "")
        upload = st.file_uploader(
            "Certificate (PDF, PNG or JPEG, up to 10 MB)", type=["pdf", "png", "jpg", "jpeg"]
        )
        if not st.form_submit_button("Save activity" if current is None else "Save changes"):
            return None
    data = {
        "title": title,
        "provider": provider,
        "completed": completed,
        "hours": amount,
        "unit": unit,
        "categories": categories,
        "format": fmt,
        "type": kind,
        "notes": notes,
    }
    return data, upload


def save(data: dict, upload, activity_id: int | None = None) -> bool:
    try:
        with ws.transaction() as session:
            certificate_id = None
            if upload is not None:
                certificate_id = certificates.store_certificate(
                    session, data=upload.getvalue(), filename=upload.name, files_dir=ws.files_dir
                ).id
            if activity_id is None:
                activities.log_activity(
                    session, person=person, data=data, today=today(), certificate_id=certificate_id
                )
            else:
                activities.update_activity(
                    session,
                    person=person,
                    activity_id=activity_id,
                    data=data,
                    today=today(),
                    certificate_id=certificate_id,
                )
    except InputError as error:
        show_errors(error)
        return False
    return True


log, table, bulk = st.tabs(["Log an activity", "My activities", "Import CSV"])

with log:
    submitted = activity_form("log_activity")
    if submitted and save(*submitted):
        flash(f"Logged “{submitted[0]['title']}”")
        st.rerun()

with table:
    undo = st.session_state.get("undo_delete")
    if undo:
        note, button = st.columns([5, 1])
        note.info(f"Deleted “{undo['title']}”.")
        if button.button("Undo", key="undo_delete_button"):
            with ws.transaction() as session:
                activities.restore_activity(session, person=person, activity_id=undo["id"])
            st.session_state.pop("undo_delete")
            flash(f"Restored “{undo['title']}”")
            st.rerun()
    search = st.text_input("Search title, provider, topic or notes", key="activity_search")
    with ws.transaction() as session:
        listed = activities.list_activities(session, person=person, search=search)
    frame = pd.DataFrame(
        [
            {
                "id": a.id,
                "Completed": a.completed,
                "Title": a.title,
                "Provider": a.provider,
                "Hours": a.hours,
                "Unit": a.unit,
                "Topics": ", ".join(category_label(c) for c in a.categories),
                "Format": FORMAT_WORDS[a.format],
                "Type": a.type,
                "Certificate": bool(a.certificate_id),
            }
            for a in listed
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    st.caption(f"{len(listed)} activities, {sum(a.hours for a in listed):g} hours logged.")
    if listed:
        chosen = st.selectbox(
            "Edit or delete",
            [a.id for a in listed],
            index=None,
            placeholder="Choose an activity",
            format_func=lambda activity_id: next(
                f"{a.completed} · {a.title}" for a in listed if a.id == activity_id
            ),
            key="chosen_activity",
        )
        if chosen is not None:
            current = next(a for a in listed if a.id == chosen)
            if st.button("Delete this activity", key="delete_activity"):
                try:
                    with ws.transaction() as session:
                        activities.delete_activity(session, person=person, activity_id=chosen)
                except NotFound as error:
                    st.error(str(error))
                else:
                    st.session_state["undo_delete"] = {"id": chosen, "title": current.title}
                    st.session_state.pop("chosen_activity", None)
                    st.rerun()
            edited = activity_form(f"edit_activity_{chosen}", current)
            if edited and save(*edited, activity_id=chosen):
                flash("Saved")
                st.rerun()

    with st.expander("Recent changes (audit trail)"):
        with ws.transaction() as session:
            events = audit.history(session, person_id=person.id, limit=50)
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "When (UTC)": event.at,
                        "Action": event.action,
                        "Record": event.entity,
                        "Id": event.entity_id,
                    }
                    for event in events
                ]
            ),
            hide_index=True,
            width="stretch",
        )

with bulk:
    st.write(
        "Columns: `title, completed, hours, format` and optionally "
        "`provider, unit, categories, type, notes`."
    )
    st.download_button(
        "Download a template", TEMPLATE, file_name="cetrack-import-template.csv", mime="text/csv"
    )
    uploaded = st.file_uploader("CSV file", type=["csv"], key="import_file")
    if uploaded is not None:
        try:
            with ws.transaction() as session:
                preview = preview_import(
                    session, person=person, data=uploaded.getvalue(), today=today()
                )
        except InputError as error:
            show_errors(error)
        else:
            st.write(
                f"{len(preview.accepted)} row(s) ready ({preview.hours:g} h), "
                f"{len(preview.rejected)} rejected."
            )
            if preview.accepted:
                st.dataframe(
                    pd.DataFrame(
                        [{"line": line, **row.model_dump()} for line, row in preview.accepted]
                    ),
                    hide_index=True,
                )
            if preview.rejected:
                st.dataframe(
                    pd.DataFrame(preview.rejected, columns=["line", "why rejected"]),
                    hide_index=True,
                )
            if preview.accepted and st.button(
                f"Import {len(preview.accepted)} activities", type="primary"
            ):
                with ws.transaction() as session:
                    created = commit_import(session, person=person, preview=preview, today=today())
                flash(f"Imported {len(created)} activities")
                st.rerun()
