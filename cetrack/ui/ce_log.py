"""CE log: log an activity with its certificate, search, edit, delete with undo, import CSV."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from cetrack.engine.units import clock_hours
from cetrack.importers.ce_csv import TEMPLATE
from cetrack.inputs import EARLIEST_DATE, LATEST_DATE, validate_activity
from cetrack.rules.vocabulary import ACTIVITY_TYPES, CATEGORIES, FORMATS, UNITS
from cetrack.services import activities, audit, certificates, imports, preview
from cetrack.services.errors import DuplicateActivity, InputError, NotFound, StaleEdit
from cetrack.ui.state import (
    flash,
    forget_version,
    opened_version,
    plain,
    preview_of_upload,
    require_actor,
    show_errors,
    today,
    upload_of,
    workspace,
)
from cetrack.wording import FORMAT_WORDS, amount, category_label, effect_line, hours

ws = workspace()
actor, person = require_actor(ws)
st.title("CE log")
st.caption(
    "Log each activity once: it counts toward every license it can, each under its own rules."
)


# the fields a certificate can fill in, with the value a new form starts from
PREFILLABLE = {
    "title": "",
    "provider": "",
    "completed": None,
    "amount": 1.0,
    "unit": "hours",
    "notes": "",
}


def start_value(key: str, name: str):
    """What a new form's field starts from: a value filled in from a certificate (see
    `prefill_from_certificate`), else the default."""
    started = st.session_state.get(f"{key}_start", {})
    return started.get(name, today() if name == "completed" else PREFILLABLE[name])


def starting(key: str, name: str, current, value):
    """Widget arguments: an edit form shows the record; a new form's fields are keyed (their
    typed values are read back when a certificate fills the rest) and start from
    `start_value`. Values are only ever given through `value=`, never written into a
    widget's state, so a rerun cut short by a quick click cannot blank a field."""
    if current is not None:
        return {"value": value}
    return {"key": f"{key}_{name}", "value": start_value(key, name)}


def activity_form(key: str, current=None) -> tuple[dict, object, bool]:
    """The fields, the upload, and whether Save was clicked. A new activity's fields are live
    (each change reruns the page, so the preview follows them and a certificate upload knows
    what was typed); an edit is a form, saved at once."""
    with st.form(key) if current else st.container(border=True):
        title = st.text_input("Title", **starting(key, "title", current, current and current.title))
        provider = st.text_input(
            "Provider", **starting(key, "provider", current, current and current.provider)
        )
        left, middle, right = st.columns(3)
        completed = left.date_input(
            "Completed",
            # any date the service accepts is typeable; a future one is refused on save
            min_value=EARLIEST_DATE,
            max_value=LATEST_DATE,
            **starting(key, "completed", current, current and current.completed),
        )
        amount = middle.number_input(
            "Amount",
            min_value=0.0,
            max_value=1000.0,
            step=0.5,
            **starting(key, "amount", current, current and float(current.amount)),
        )
        units = list(UNITS)
        unit = right.selectbox(
            "Unit",
            units,
            format_func=lambda unit: unit.replace("_", " "),
            index=units.index(current.unit if current else start_value(key, "unit")),
            key=None if current else f"{key}_unit",
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
        notes = st.text_area("Notes", **starting(key, "notes", current, current and current.notes))
        upload = st.file_uploader(
            "Certificate (PDF, PNG or JPEG, up to 10 MB)", key=f"{key}_certificate"
        )
        if current:
            saved = st.form_submit_button("Save changes")
        else:
            saved = st.button("Save activity", key=f"{key}_save", type="primary")
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
    return data, upload, saved


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
                upload=upload_of(upload),
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


def prefill_from_certificate(generation: int) -> tuple[str, object]:
    """A PDF certificate uploaded here fills the form's fields that are still as they started
    (nothing typed is overwritten): the form is drawn afresh, each field starting from what
    was typed or else what the certificate shows. The file is then the activity's certificate
    unless another is chosen in the form. Returns the form's key and the upload."""
    fills = st.session_state.setdefault(f"log_fills_{generation}", 0)
    form_key = f"log_activity_{generation}_{fills}"
    uploaded = st.file_uploader(
        "Fill in from a certificate (a PDF with text; scans are kept but not read)",
        key=f"log_prefill_{generation}",
    )
    if uploaded is None:
        return form_key, None
    content = uploaded.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    note_key = f"log_prefill_note_{generation}"
    if st.session_state.get(f"log_prefilled_{generation}") != digest:
        try:
            fields = certificates.fields_from_upload(content)
        except InputError as error:
            show_errors(error)
            return form_key, uploaded  # saving checks it again, and refuses without it
        found = {
            "title": fields.title,
            "provider": fields.provider,
            "completed": fields.completed,
            "amount": fields.amount,
            "unit": fields.unit,
            "notes": "Approval: " + "; ".join(fields.approvals) if fields.approvals else None,
        }
        start, filled = {}, []
        for name in PREFILLABLE:
            typed = st.session_state.get(f"{form_key}_{name}", start_value(form_key, name))
            untouched = typed in (PREFILLABLE[name], today())
            if found[name] is not None and untouched:
                start[name] = found[name]
                filled.append(name)
            else:
                start[name] = typed
        form_key = f"log_activity_{generation}_{fills + 1}"
        st.session_state[f"log_fills_{generation}"] = fills + 1
        st.session_state[f"{form_key}_start"] = start
        st.session_state[f"log_prefilled_{generation}"] = digest
        st.session_state[note_key] = _prefill_note(filled, has_text=fields.has_text)
    st.info(st.session_state[note_key])
    return form_key, uploaded


def _prefill_note(filled: list[str], *, has_text: bool) -> str:
    if filled:
        return f"Filled in from the certificate: {', '.join(filled)}. Check them before saving."
    if has_text:
        return (
            "Nothing could be filled in: the fields are already typed, or the text shows none "
            "of them."
        )
    return (
        "This file has no text to read (a scan or a photo): enter the details by hand. It will "
        "be kept as the certificate."
    )


def show_effects(data: dict) -> None:
    """What the activity being entered would count for, credential by credential (live, as
    the fields change; nothing is saved)."""
    try:
        entered = validate_activity(data, today=today())
    except InputError:
        return  # the fields say what is wrong when it is saved
    with ws.transaction() as session:
        effects = preview.preview_activity(
            session, actor=actor, person=person, data=entered, registry=ws.registry, today=today()
        )
    lines = [effect_line(effect) for effect in effects] or [
        "You hold no credential to count it for."
    ]
    st.info("If you save it (nothing is saved yet):\n\n" + "\n".join(f"- {line}" for line in lines))


log, table, bulk = st.tabs(["Log an activity", "My activities", "Import CSV"])

with log:
    # a new key after each save empties the form; a preview keeps what was typed
    generation = st.session_state.setdefault("log_form_generation", 0)
    form_key, from_certificate = prefill_from_certificate(generation)
    entered, upload, saved = activity_form(form_key)
    if saved and save(entered, upload or from_certificate):
        st.session_state["log_form_generation"] = generation + 1
        flash(f"Logged “{entered['title']}”")
        st.rerun()
    if not saved and entered["title"].strip():
        show_effects(entered)
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
            edited, upload, saved = activity_form(form_key, current)
            if saved:
                if save(edited, upload, activity_id=chosen, version=version):
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

        def check(content: bytes):
            with ws.transaction() as session:
                return imports.preview_ce_import(
                    session, actor=actor, person=person, data=content, today=today()
                )

        preview = preview_of_upload(uploaded, "import_preview", check)
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
