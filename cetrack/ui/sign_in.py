"""Sign in: the only page an anonymous visitor sees once accounts are on."""

from __future__ import annotations

import time

import streamlit as st

from cetrack.services import accounts, invites
from cetrack.services.errors import InputError
from cetrack.ui.state import (
    identity_provider_configured,
    password_pair,
    plain,
    show_errors,
    workspace,
)

ws = workspace()
token = st.query_params.get("invite")
if token:
    st.title("Set your cetrack password")
    try:
        with ws.transaction() as session:
            email = invites.invited_email(session, token)
    except InputError as error:
        show_errors(error)
    else:
        st.write(f"This link sets the password of {plain(email)}; it works once.")
        with st.form("set_password"):
            password = password_pair("invite_password")
            chosen = st.form_submit_button("Set my password", type="primary")
        if chosen:
            try:
                if password is None:
                    raise InputError({"password": "the two passwords differ"})
                with ws.transaction() as session:
                    invites.redeem(session, token=token, password=password)
            except InputError as error:
                show_errors(error)
            else:
                st.query_params.clear()
                st.session_state["sign_in_notice"] = "Your password is set: sign in."
                st.rerun()
    st.stop()
st.title("Sign in to cetrack")
if identity_provider_configured():
    if st.user.get("is_logged_in", False):
        with ws.transaction() as session:
            outcome = accounts.sign_in_with_identity(
                session,
                email=st.user.get("email"),
                email_verified=bool(st.user.get("email_verified")),
            )
        if outcome.actor is not None:
            st.session_state["account_id"] = outcome.actor.account_id
            st.session_state["last_seen"] = time.monotonic()
            st.rerun()
        st.error(f"Not signed in: {outcome.refused}.")
        if st.button("Sign out of the identity provider"):
            st.logout()
    elif st.button("Sign in with your organization's account", type="primary"):
        st.login()
    st.divider()
notice = st.session_state.pop("sign_in_notice", None)
if notice:
    st.info(notice)
with st.form("sign_in"):
    email = st.text_input("Email", autocomplete="username")
    password = st.text_input("Password", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Sign in", type="primary")
if submitted:
    with ws.transaction() as session:
        outcome = accounts.sign_in(session, email=email, password=password)
    if outcome.actor is None:
        st.error(f"Not signed in: {outcome.refused}.")
    else:
        st.session_state["account_id"] = outcome.actor.account_id
        st.session_state["last_seen"] = time.monotonic()
        st.rerun()
st.caption("Forgot your password? Ask your organization's cetrack admin to reset it.")
