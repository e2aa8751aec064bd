"""Sign in: the only page an anonymous visitor sees once accounts are on."""

from __future__ import annotations

import time

import streamlit as st

from cetrack.services import accounts
from cetrack.ui.state import workspace

ws = workspace()
st.title("Sign in to cetrack")
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
