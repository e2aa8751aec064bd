"""First start: load the demo clinician, or start clean with your own details."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cetrack.services import people
from cetrack.services.actor import Actor
from cetrack.services.backup import BackupError, restore_backup
from cetrack.services.demo import load_demo
from cetrack.services.errors import InputError
from cetrack.ui.state import flash, show_errors, today, workspace

ws = workspace()
st.title("Welcome to cetrack")
st.write(
    "Track continuing education, certifications and licenses against published, cited "
    "state rules. Everything stays in your own database."
)

demo, clean = st.columns(2)
with demo, st.container(border=True):
    st.subheader("See it with demo data")
    st.write(
        "A counselor holding a Texas LPC, a New York LMHC and an NCC certification, "
        "with a year of CE activities and certificates."
    )
    if st.button("Load the demo", type="primary", key="load_demo"):
        with st.spinner("Loading the demo ..."), ws.transaction() as session:
            load_demo(session, ws, actor=Actor.system(), today=today())
        flash("Demo loaded")
        st.rerun()

with clean, st.container(border=True):
    st.subheader("Start clean")
    with st.form("start_clean"):
        name = st.text_input("Your name")
        email = st.text_input("Email")
        birth_date = st.date_input(
            "Birth date (some licenses renew in your birth month)",
            value=None,
            min_value=date(1920, 1, 1),
            max_value=today(),
        )
        submitted = st.form_submit_button("Start")
    if submitted:
        try:
            with ws.transaction() as session:
                people.create_person(
                    session,
                    actor=Actor.system(),
                    email=email,
                    name=name,
                    birth_date=birth_date,
                    today=today(),
                )
        except InputError as error:
            show_errors(error)
        else:
            flash("Welcome! Add your licenses next.")
            st.rerun()

with st.container(border=True):
    st.subheader("Restore from a backup")
    st.write("A backup made with cetrack (Reports page, or `cetrack backup`).")
    archive = st.file_uploader("Backup archive (.zip)", type=["zip"], key="restore_file")
    if archive is not None and st.button("Restore", key="restore_backup"):
        try:
            with st.spinner("Checking and restoring ..."), ws.transaction() as session:
                restored = restore_backup(
                    session, ws, actor=Actor.system(), data=archive.getvalue()
                )
        except BackupError as error:
            st.error(f"Nothing was restored: {error}")
        else:
            flash(f"Restored {restored.get('activity', 0)} activities and all your records")
            st.rerun()
