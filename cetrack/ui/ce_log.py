"""CE log: log an activity with its certificate, search, edit, delete with undo, import CSV."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from cetrack.engine.units import clock_hours
from cetrack.importers.ce_csv import TEMPLATE
from cetrack.inputs import EARLIEST_DATE, LATEST_DATE
from cetrack.rules.vocabulary import ACTIVITY_TYPES, CATEGORIES, FORMATS, UNITS
from cetrack.services import activities, audit, certificates, imports
from cetrack.services.errors import DuplicateActivity, InputError, NotFound, StaleEdit
from cetrack.ui.state import (
    flash,
    forget_version,
    opened_version,
    plain,
    require_actor,
    show_errors,
    today,
    workspace,
)
from cetrack.wording import FORMAT_WORDS, amount, category_label, hours

ws = workspace()
actor, person = require_actor(ws)
st.title("CE log")
st.caption(
    "Log each activity once: it counts toward every license it can, each under its own rules."
)


def activity_form(key: str, current=None) -> tuple[dict, object] | None:
    with st.form(key, clear_on_submit=current is None):
        title = st.text_input("Title", value=current.title if current else "")
        provider = st.text_input("Provider", value=current.provider if current else "")
        left, middle, right = st.columns(3)
        completed = left.date_input(
            "Completed",
            value=current.completed if current else today(),
            # any date the service accepts is typeable; a future one is refused on save
            min_value=EARLIEST_DATE,
            max_value=LATEST_DATE,
        )
        amount = middle.number_input(
            "Amount",
            min_value=0.0,
            max_value=1000.0,
            step=0.5,
            value=float(current.amount) if current else 1.0,
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
        upload = st.file_uploader("Certificate (PDF, PNG or JPEG, up to 10 MB)")
        if not st.form_submit_button("Save activity" if current is None else "Save changes"):
            return None
    data = {
        "title": title,
        "provider": provider,
        "completed": completed,
        "amount": amount,
        "unit": unit,
        "categories": categories,
        "format": fmt,
        "type": kind,
        "notes": notes,
    }
    return data, upload


def save(
    data: dict,
    upload,
    activity_id: int | None = None,
    *,
    version: int | None = None,
    confirm_duplicate: bool = False,
) -> bool:
    """Store the certificate and the activity in one transaction; any error saves nothing."""
    try:
        with ws.transaction() as session:
            certificate_id = certificates.upload_if_given(
                session,
                actor=actor,
                person=person,
                upload=(upload.getvalue(), upload.name) if upload is not None else None,
                files_dir=ws.files_dir,
            )
            if activity_id is None:
                activities.log_activity(
                    session,
                    actor=actor,
                    person=person,
                    data=data,
                    today=today(),
                    certificate_id=certificate_id,
                    confirm_duplicate=confirm_duplicate,
                )
            else:
                activities.update_activity(
                    session,
                    actor=actor,
                    activity_id=activity_id,
                    data=data,
                    today=today(),
                    expected_version=version,
                    certificate_id=certificate_id,
                )
    except InputError as error:
        show_errors(error)
        return False
    except DuplicateActivity as error:
        st.session_state["pending_duplicate"] = {"data": data, "message": str(error)}
        return False
    except StaleEdit as error:
        st.error(str(error))
        return False
    return True


log, table, bulk = st.tabs(["Log an activity", "My activities", "Import CSV"])

with log:
    submitted = activity_form("log_activity")
    if submitted and save(*submitted):
        flash(f"Logged “{submitted[0]['title']}”")
        st.rerun()
    pending = st.session_state.get("pending_duplicate")
    if pending:
        st.warning(f"Not logged: {plain(pending['message'])}.")
        again, cancel = st.columns(2)
        if again.button("Log it anyway", key="confirm_duplicate"):
            st.session_state.pop("pending_duplicate")
            if save(pending["data"], None, confirm_duplicate=True):
                flash(f"Logged “{pending['data']['title']}” again")
                st.rerun()
        if cancel.button("Do not log it", key="cancel_duplicate"):
            st.session_state.pop("pending_duplicate")
            st.rerun()

with table:
    undo = st.session_state.get("undo_delete")
    if undo:
        note, button = st.columns([5, 1])
        note.info(f"Deleted “{plain(undo['title'])}”.")
        if button.button("Undo", key="undo_delete_button"):
            with ws.transaction() as session:
                activities.restore_activity(session, actor=actor, activity_id=undo["id"])
            st.session_state.pop("undo_delete")
            flash(f"Restored “{undo['title']}”")
            st.rerun()
    search = st.text_input("Search title, provider, topic or notes", key="activity_search")
    with ws.transaction() as session:
        listed = activities.list_activities(session, actor=actor, person=person, search=search)
    frame = pd.DataFrame(
        [
            {
                "id": a.id,
                "Completed": a.completed,
                "Title": a.title,
                "Provider": a.provider,
                "Amount": amount(a.amount, a.unit),
                "Clock hours": round(clock_hours(a.amount, a.unit), 2),
                "Topics": ", ".join(category_label(c) for c in a.categories),
                "Format": FORMAT_WORDS[a.format],
                "Type": a.type,
                "Certificate": bool(a.certificate_id),
            }
            for a in listed
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    logged_hours = sum(clock_hours(a.amount, a.unit) for a in listed)
    st.caption(
        f"{len(listed)} activities, {hours(logged_hours)} logged in clock hours "
        "(each license converts units under its own rule)."
    )
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
                        activities.delete_activity(session, actor=actor, activity_id=chosen)
                except NotFound as error:
                    st.error(str(error))
                else:
                    st.session_state["undo_delete"] = {"id": chosen, "title": current.title}
                    st.session_state.pop("chosen_activity", None)
                    st.rerun()
            form_key = f"edit_activity_{chosen}"
            version = opened_version(form_key, current.version)
            if current.certificate_id and st.button("Detach the certificate", key="detach"):
                try:
                    with ws.transaction() as session:
                        activities.detach_certificate(
                            session, actor=actor, activity_id=chosen, expected_version=version
                        )
                except (InputError, StaleEdit) as error:
                    st.error(str(error))
                else:
                    forget_version(form_key)
                    flash("Certificate detached")
                    st.rerun()
            edited = activity_form(form_key, current)
            if edited:
                if save(*edited, activity_id=chosen, version=version):
                    forget_version(form_key)
                    flash("Saved")
                    st.rerun()
                else:
                    forget_version(form_key)

    with st.expander("Recent changes (audit trail)"):
        with ws.transaction() as session:
            events = audit.history(session, actor=actor, person=person, limit=50)
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
        "Columns: `title, completed, amount, format` and optionally "
        "`provider, unit, categories, type, notes` (a CE log exported by cetrack imports as is)."
    )
    st.download_button(
        "Download a template", TEMPLATE, file_name="cetrack-import-template.csv", mime="text/csv"
    )
    uploaded = st.file_uploader("CSV file", type=["csv"], key="import_file")
    if uploaded is not None:
        content = uploaded.getvalue()
        digest = hashlib.sha256(content).hexdigest()
        cached = st.session_state.get("import_preview")
        preview = cached[1] if cached and cached[0] == digest else None
        if preview is None:
            try:
                with st.spinner("Checking every row ..."), ws.transaction() as session:
                    preview = imports.preview_ce_import(
                        session, actor=actor, person=person, data=content, today=today()
                    )
            except InputError as error:
                show_errors(error)
            else:
                st.session_state["import_preview"] = (digest, preview)
        if preview is not None:
            st.write(
                f"{len(preview.accepted)} row(s) ready ({hours(preview.hours)} in clock hours), "
                f"{len(preview.already_logged)} already in your log, "
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
                    outcome = imports.commit_ce_import(
                        session, actor=actor, person=person, preview=preview
                    )
                st.session_state.pop("import_preview", None)
                skipped = outcome.already_logged
                flash(
                    f"Imported {len(outcome.created)} activities"
                    + (f" ({skipped} were logged meanwhile and skipped)" if skipped else "")
                )
                st.rerun()
