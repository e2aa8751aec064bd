"""People: the organization's roster for HR and admins. Import staff from CSV (a preview with
a line per row, nothing written until confirmed), add, edit and deactivate members, and give
a member a one-time link to set their password."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cetrack import mail
from cetrack.importers.roster_csv import TEMPLATE
from cetrack.roles import ADMIN, HR, ROLES, STAFF_ROLES
from cetrack.services import invites, roster
from cetrack.services.errors import Forbidden, InputError, NotFound
from cetrack.settings import Settings
from cetrack.ui.state import (
    bring_up_to_date,
    flash,
    opened_version,
    organization_for,
    plain,
    preview_of_upload,
    require_actor,
    save_then_rerun,
    show_errors,
    today,
    workspace,
)

ws = workspace()
actor, me = require_actor(ws)
place = organization_for(ws, actor, {HR, ADMIN})
grantable = list(ROLES) if ADMIN in actor.roles_in(place.id) else sorted(STAFF_ROLES)

st.title(f"People of {plain(place.name)}")
with ws.transaction() as session:
    members = roster.members(session, actor=actor, organization=place)
listing, importing, adding = st.tabs(["Roster", "Import from CSV", "Add a person"])

with listing:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Name": row.name,
                    "Email": row.email,
                    "Roles": ", ".join(row.roles),
                    "Department": row.department,
                    "Active": row.active,
                    "Account": row.account,
                }
                for row in members
            ]
        ),
        hide_index=True,
        width="stretch",
        key="roster_table",
    )
    labels = [f"{row.name} <{row.email}>" for row in members]
    chosen_label = st.selectbox("Member", labels, key="member_choice") if labels else None
    chosen = members[labels.index(chosen_label)] if chosen_label else None
    if chosen is not None:
        version_key = f"membership_{chosen.membership_id}"
        with st.form(f"edit_member_{chosen.membership_id}"):
            name = st.text_input("Name", chosen.name)
            roles = st.multiselect(
                "Roles", sorted(set(grantable) | set(chosen.roles)), default=list(chosen.roles)
            )
            department = st.text_input("Department", chosen.department)
            saved = st.form_submit_button("Save changes")
        if saved:
            save_then_rerun(
                ws,
                lambda session: roster.update_member(
                    session,
                    actor=actor,
                    membership_id=chosen.membership_id,
                    name=name,
                    roles=roles,
                    department=department,
                    expected_version=opened_version(version_key, chosen.version),
                    today=today(),
                ),
                f"Saved {name}",
                forget=version_key,
            )
        left, right = st.columns(2)
        toggle = "Reactivate" if not chosen.active else "Deactivate"
        if left.button(f"{toggle} {chosen.name}", key="toggle_member"):
            save_then_rerun(
                ws,
                lambda session: roster.set_member_active(
                    session,
                    actor=actor,
                    membership_id=chosen.membership_id,
                    active=not chosen.active,
                ),
                f"{toggle}d {chosen.name}; their records stay",
                forget=version_key,
            )
        if chosen.account in ("none", "invited") and right.button(
            "Create a set-password link", key="invite_member"
        ):
            try:
                with ws.transaction() as session:
                    issued = invites.invite(
                        session, actor=actor, organization=place, person_id=chosen.person_id
                    )
            except InputError as error:
                show_errors(error)
            except (Forbidden, NotFound) as error:
                st.error(plain(error))
            else:
                st.success(
                    f"Send this link to {plain(issued.email)}. It works once and expires in "
                    f"{invites.LIFETIME.days} days; it is not shown again."
                )
                settings = Settings()
                link = issued.link(settings.base_url)
                st.code(link, language=None)
                if settings.mail_configured:
                    try:
                        mail.send_invite(
                            mail.MailServer.from_settings(settings),
                            to=issued.email,
                            link=link,
                            organization=place.name,
                            days=invites.LIFETIME.days,
                        )
                    except mail.MailError as error:
                        st.warning(f"The link was not emailed: {plain(error)}")
                    else:
                        st.info(f"Emailed the link to {plain(issued.email)}.")

with importing:
    st.write(
        "Columns: `name, email` and optionally `roles` (clinician, supervisor; separate several "
        "with `;`), `department`, and a license: `license_state, license_type, license_number, "
        "license_expires`. A person with several licenses has a row for each."
    )
    st.download_button(
        "Download a template", TEMPLATE, file_name="cetrack-roster-template.csv", mime="text/csv"
    )
    uploaded = st.file_uploader("Roster CSV", type=["csv"], key="roster_file")
    if uploaded is not None:

        def check(content: bytes):
            with ws.transaction() as session:
                return roster.preview_roster(
                    session,
                    actor=actor,
                    organization=place,
                    data=content,
                    registry=ws.registry,
                    today=today(),
                )

        preview = preview_of_upload(uploaded, "roster_preview", check)
        if preview is not None:
            ready = preview.count(roster.READY)
            st.write(
                f"{ready} row(s) ready, {preview.count(roster.ALREADY)} already on file, "
                f"{preview.count(roster.REJECTED)} rejected. Nothing is written until you import."
            )
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Line": line.line,
                            "Email": line.email,
                            "Outcome": line.outcome,
                            "What happens": line.message,
                        }
                        for line in preview.lines
                    ]
                ),
                hide_index=True,
                width="stretch",
                key="roster_preview_table",
            )
            if ready and st.button(f"Import {ready} ready rows", type="primary"):
                try:
                    with ws.transaction() as session:
                        outcome = roster.commit_roster(
                            session,
                            actor=actor,
                            organization=place,
                            preview=preview,
                            registry=ws.registry,
                            today=today(),
                        )
                    bring_up_to_date(ws, actor, place, "Evaluating the new licenses ...")
                except InputError as error:
                    show_errors(error)
                except Forbidden as error:
                    st.error(plain(error))
                else:
                    st.session_state.pop("roster_preview", None)
                    flash(
                        f"Imported {outcome.memberships_added} people and "
                        f"{outcome.licenses_added} licenses"
                    )
                    st.rerun()

with adding, st.form("add_member"):
    name = st.text_input("Name", key="new_member_name")
    email = st.text_input("Email", key="new_member_email")
    roles = st.multiselect("Roles", grantable, default=["clinician"], key="new_member_roles")
    department = st.text_input("Department (optional)", key="new_member_department")
    added = st.form_submit_button("Add to the roster")
if added:
    save_then_rerun(
        ws,
        lambda session: roster.add_member(
            session,
            actor=actor,
            organization=place,
            name=name,
            email=email,
            roles=roles,
            department=department,
            today=today(),
        ),
        f"Added {name} to the roster",
    )
