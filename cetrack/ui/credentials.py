"""Licenses and certifications: add, edit, remove (and restore)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cetrack.services import certificates, credentials, people
from cetrack.services.errors import InputError, NotFound, StaleEdit
from cetrack.ui.state import (
    flash,
    forget_version,
    opened_version,
    require_actor,
    show_errors,
    today,
    upload_of,
    workspace,
)

ws = workspace()
actor, person = require_actor(ws)
registry = ws.registry
st.title("Licenses & certifications")


def rule_label(rule_id: str) -> str:
    rule = registry.get(rule_id)
    return f"{rule.license} — {rule.title}"


def credential_form(key: str, current=None) -> dict | None:
    """The fields of a credential; returns them when the form is submitted."""
    states = sorted({rule.state for rule in registry.rules.values()})
    state = current.rule_id.split("/")[0] if current else None
    state = st.selectbox(
        "State (or national)",
        states,
        index=states.index(state) if state in states else None,
        placeholder="Choose a state",
        format_func=lambda code: "compact (interstate compacts)" if code == "compact" else code,
        key=f"{key}_state",
    )
    if state is None:
        return None
    rule_ids = [rule_id for rule_id in registry.ids() if rule_id.startswith(f"{state}/")]
    # outside the form, so the checkbox and declarations below follow the license picked
    rule_id = st.selectbox(
        "License or certification",
        rule_ids,
        index=rule_ids.index(current.rule_id) if current and current.rule_id in rule_ids else 0,
        format_func=rule_label,
        key=f"{key}_rule",
    )
    rule = registry.get(rule_id)
    compact = rule.compact
    if compact and not compact.operational:
        st.info(f"{rule.title} is not issued yet: {compact.status_note}")
        return None
    homes = []
    if compact:
        with ws.transaction() as session:
            homes = credentials.home_choices(
                session, actor=actor, person=person, rule=rule, registry=registry
            )
        if not homes:
            st.info(f"Add the credential {rule.license} stands on first ({compact.name}).")
            return None
    with st.form(key):
        number = st.text_input("License number", value=current.number if current else "")
        home_id = remote_state = None
        if compact:
            by_label = {f"{home.rule_id} {home.number}".strip(): home.id for home in homes}
            labels = list(by_label)
            chosen = next(
                (
                    label
                    for label, held in by_label.items()
                    if current and held == current.home_credential_id
                ),
                labels[0],
            )
            home_id = by_label[
                st.selectbox("Stands on (home credential)", labels, index=labels.index(chosen))
            ]
        if compact and compact.remote_state:
            remote_states = sorted(state for state in states if len(state) == 2)
            remote_state = st.selectbox(
                "Remote state (the privilege is granted for)",
                remote_states,
                index=remote_states.index(current.remote_state)
                if current and current.remote_state in remote_states
                else None,
            )
        issued = st.date_input(
            "Issued", value=current.issued if current else None, min_value=date(1950, 1, 1)
        )
        expires = None
        if compact and compact.expires_with_home:
            st.caption("It expires with the credential it stands on.")
        else:
            expires = st.date_input(
                "Expires (leave empty to compute it from the rule)",
                value=current.expires if current else None,
                min_value=date(1950, 1, 1),
                max_value=date(2100, 1, 1),
            )
        supervisor = st.checkbox(
            "I supervise (some states then require supervision CE)",
            value=current.supervisor if current else False,
            disabled=not credentials.has_supervisor_requirements(rule),
        )
        flags = st.multiselect(
            "Declarations that switch on requirements",
            credentials.available_flags(rule),
            default=[
                flag
                for flag in (current.flags if current else [])
                if flag in credentials.available_flags(rule)
            ],
        )
        if not st.form_submit_button("Save"):
            return None
    return {
        "rule_id": rule_id,
        "number": number,
        "issued": issued,
        "expires": expires,
        "supervisor": supervisor,
        "flags": flags,
        "home_credential_id": home_id,
        "remote_state": remote_state or "",
    }


def validity_text(credential, by_id: dict) -> str:
    """ "expires 2027-06-30", or for a privilege "expires with TX/LPC (2027-06-30)"."""
    home = by_id.get(credential.home_credential_id)
    where = f" in {credential.remote_state}" if credential.remote_state else ""
    if credential.expires is None and home is not None:
        return f"expires with {home.rule_id} ({home.expires}){where}"
    return f"expires {credential.expires}{where}"


profile_version = opened_version("profile", person.version)
with st.expander("Your details", expanded=person.birth_date is None), st.form("profile"):
    name = st.text_input("Name", value=person.name)
    birth_date = st.date_input(
        "Birth date (licenses that renew in your birth month need it)",
        value=person.birth_date,
        min_value=date(1920, 1, 1),
        max_value=today(),
    )
    if st.form_submit_button("Save details"):
        try:
            with ws.transaction() as session:
                people.update_person(
                    session,
                    actor=actor,
                    person=person,
                    name=name,
                    birth_date=birth_date,
                    expected_version=profile_version,
                    today=today(),
                )
        except InputError as error:
            show_errors(error)
        except StaleEdit as error:
            st.error(str(error))
            forget_version("profile")
        else:
            forget_version("profile")
            flash("Details saved")
            st.rerun()

with ws.transaction() as session:
    held = credentials.list_credentials(session, actor=actor, person=person)
    removed = credentials.list_credentials(session, actor=actor, person=person, removed=True)

editing = st.session_state.get("editing_credential")
by_id = {credential.id: credential for credential in held}
for credential in held:
    with st.container(border=True):
        info, edit, remove = st.columns([6, 1, 1])
        number = f" · No. {credential.number}" if credential.number else ""
        rule = registry.rules.get(credential.rule_id)
        rule_title = rule.title if rule else "rule file not loaded"
        info.text(
            f"{credential.rule_id} — {rule_title}{number}\n"
            f"Issued {credential.issued or 'unknown'} · {validity_text(credential, by_id)}"
        )
        if edit.button("Edit", key=f"edit_{credential.id}"):
            st.session_state["editing_credential"] = credential.id
            st.rerun()
        if remove.button("Remove", key=f"remove_{credential.id}"):
            with ws.transaction() as session:
                credentials.remove_credential(session, actor=actor, credential_id=credential.id)
            flash(f"Removed {credential.rule_id}; restore it below if that was a mistake")
            st.rerun()
        if editing == credential.id:
            form_key = f"edit_form_{credential.id}"
            version = opened_version(form_key, credential.version)
            data = credential_form(form_key, credential)
            if data:
                try:
                    with ws.transaction() as session:
                        credentials.update_credential(
                            session,
                            actor=actor,
                            credential_id=credential.id,
                            data=data,
                            registry=registry,
                            today=today(),
                            expected_version=version,
                        )
                except InputError as error:
                    show_errors(error)
                except StaleEdit as error:
                    st.error(str(error))
                    forget_version(form_key)
                else:
                    forget_version(form_key)
                    st.session_state.pop("editing_credential", None)
                    flash("Saved")
                    st.rerun()


def one_time_requirements(credential) -> None:
    """Attest a one-time requirement completed before the records in cetrack begin."""
    rule = registry.rules.get(credential.rule_id)
    once = credentials.one_time_requirements(rule) if rule else {}
    if not once:
        return
    attested = {item["requirement"]: item for item in credential.attestations}
    with st.expander(f"{credential.rule_id}: one-time requirements completed earlier"):
        for requirement, title in once.items():
            key = f"attest_{credential.id}_{requirement}"
            if requirement in attested:
                left, right = st.columns([5, 1])
                left.text(f"{title}: attested, completed on {attested[requirement]['completed']}")
                if right.button("Withdraw", key=f"withdraw_{key}"):
                    try:
                        with ws.transaction() as session:
                            credentials.withdraw_attestation(
                                session,
                                actor=actor,
                                credential_id=credential.id,
                                requirement=requirement,
                                expected_version=credential.version,
                            )
                    except (StaleEdit, NotFound) as error:
                        st.error(str(error))
                    else:
                        flash(f"Withdrawn: {title}")
                        st.rerun()
                continue
            with st.form(key):
                st.text(title)
                completed = st.date_input(
                    "Completed on", value=None, min_value=date(1950, 1, 1), max_value=today()
                )
                upload = st.file_uploader(
                    "Certificate (optional: PDF, PNG or JPEG)", key=f"{key}_file"
                )
                if not st.form_submit_button("Attest"):
                    continue
            try:
                with ws.transaction() as session:
                    certificate_id = certificates.upload_if_given(
                        session,
                        actor=actor,
                        person=person,
                        upload=upload_of(upload),
                        files_dir=ws.files_dir,
                    )
                    credentials.attest_requirement(
                        session,
                        actor=actor,
                        credential_id=credential.id,
                        data={
                            "requirement": requirement,
                            "completed": completed,
                            "certificate_id": certificate_id,
                        },
                        registry=registry,
                        today=today(),
                        expected_version=credential.version,
                    )
            except InputError as error:
                show_errors(error)
            except StaleEdit as error:
                st.error(str(error))
            else:
                flash(f"Attested: {title}")
                st.rerun()


for credential in held:
    one_time_requirements(credential)

st.subheader("Add a license or certification")
data = credential_form("add_credential")
if data:
    try:
        with ws.transaction() as session:
            added = credentials.add_credential(
                session, actor=actor, person=person, data=data, registry=registry, today=today()
            )
    except InputError as error:
        show_errors(error)
    else:
        flash(f"Added {added.rule_id}, {validity_text(added, by_id)}")
        st.rerun()

if removed:
    st.subheader("Removed")
    for credential in removed:
        info, restore = st.columns([6, 1])
        info.text(f"{credential.rule_id} {credential.number} (removed)")
        if restore.button("Restore", key=f"restore_{credential.id}"):
            with ws.transaction() as session:
                credentials.restore_credential(session, actor=actor, credential_id=credential.id)
            flash(f"Restored {credential.rule_id}")
            st.rerun()
