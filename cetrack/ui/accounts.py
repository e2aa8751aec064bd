"""Accounts: in single-user mode, turn accounts on by creating the first admin; once they are
on, an organization's admin adds accounts, resets passwords and deactivates them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cetrack.services import accounts
from cetrack.services.actor import ADMIN, ROLES
from cetrack.services.errors import Forbidden, InputError, NotFound
from cetrack.ui.state import (
    accounts_on,
    flash,
    password_pair,
    plain,
    require_actor,
    show_errors,
    today,
    workspace,
)

ws = workspace()
actor, person = require_actor(ws)
st.title("Accounts")


if not accounts_on(ws):
    st.write(
        "cetrack is in single-user mode: it has no sign-in and serves only this computer. "
        "Create the first admin to turn accounts on; from then on everyone signs in, and an "
        "anonymous visitor sees only the sign-in page."
    )
    with st.form("first_admin"):
        email = st.text_input("Admin's email", value=person.email)
        name = st.text_input("Admin's name", value=person.name)
        organization = st.text_input("Organization", value="My practice")
        password = password_pair("first_admin_password")
        submitted = st.form_submit_button("Turn accounts on", type="primary")
    if submitted:
        if password is None:
            st.error("Password: the two passwords differ.")
            st.stop()
        try:
            with ws.transaction() as session:
                account = accounts.first_admin(
                    session,
                    email=email,
                    name=name,
                    password=password,
                    organization=organization,
                    today=today(),
                )
        except InputError as error:
            show_errors(error)
        else:
            st.session_state["account_id"] = account.id
            flash("Accounts are on: you are signed in as the first admin")
            st.rerun()
    st.stop()

if ADMIN not in actor.roles:
    st.error("Only an organization's admin manages accounts.")
    st.stop()

with ws.transaction() as session:
    rows = accounts.list_accounts(session, actor=actor)
st.dataframe(
    pd.DataFrame(
        [
            {
                "Email": row.email,
                "Name": row.name,
                "Organization": row.organization,
                "Roles": ", ".join(row.roles),
                "Status": row.status,
                "Last sign-in": row.last_sign_in_at,
            }
            for row in rows
        ]
    ),
    hide_index=True,
    width="stretch",
    key="accounts_table",
)

organizations = sorted({row.organization for row in rows})
st.subheader("Add an account")
with st.form("add_account"):
    email = st.text_input("Email")
    name = st.text_input("Name")
    organization = st.selectbox("Organization", organizations)
    roles = st.multiselect("Roles", ROLES, default=["clinician"])
    department = st.text_input("Department (optional)")
    password = password_pair("new_account_password")
    submitted = st.form_submit_button("Add account")
if submitted:
    if password is None:
        st.error("Password: the two passwords differ.")
    else:
        try:
            with ws.transaction() as session:
                home = accounts.organization_named(session, actor=actor, name=organization)
                accounts.add_account(
                    session,
                    actor=actor,
                    organization=home,
                    email=email,
                    name=name,
                    roles=roles,
                    password=password,
                    department=department,
                    today=today(),
                )
        except InputError as error:
            show_errors(error)
        except Forbidden as error:
            st.error(str(error))
        else:
            flash(f"Added an account for {email}")
            st.rerun()

st.subheader("Change an account")
emails = [row.email for row in rows]
with st.form("change_account"):
    chosen = st.selectbox("Account", emails)
    change = st.radio("Change", ["Reset the password", "Deactivate", "Reactivate"], horizontal=True)
    password = password_pair("reset_password")
    submitted = st.form_submit_button("Apply")
if submitted and chosen:
    try:
        with ws.transaction() as session:
            account = accounts.account_of(session, actor=actor, email=chosen)
            if change == "Reset the password":
                if password is None:
                    raise InputError({"password": "the two passwords differ"})
                accounts.reset_password(
                    session, actor=actor, account_id=account.id, password=password
                )
            else:
                accounts.set_status(
                    session, actor=actor, account_id=account.id, active=change == "Reactivate"
                )
    except InputError as error:
        show_errors(error)
    except (Forbidden, NotFound) as error:
        st.error(plain(error))
    else:
        flash(f"{change}: {chosen}")
        st.rerun()
