"""cetrack's app: routes to the pages this user may see (`make run` starts it).

Single-user mode (no accounts): the one clinician's pages, or the Welcome page before there
is one. Once accounts are on: only the sign-in page until someone signs in, then their pages
(Compliance for HR, People and the audit trail for HR and admins, Accounts for an
admin), with a sign-out button.
A page left out is not reachable by its URL either; each page and service checks again.
"""

import streamlit as st

from cetrack.services.actor import ADMIN, HR
from cetrack.ui.state import (
    accounts_on,
    current_person,
    show_flash,
    sign_out,
    signed_in_actor,
    workspace,
)

st.set_page_config(page_title="cetrack", page_icon=":material/school:", layout="wide")

ws = workspace()
ACCOUNTS = st.Page("cetrack/ui/accounts.py", title="Accounts", icon=":material/group:")
PEOPLE = st.Page("cetrack/ui/people.py", title="People", icon=":material/groups:")
TRAIL = st.Page("cetrack/ui/audit_trail.py", title="Audit trail", icon=":material/history:")
COMPLIANCE = st.Page(
    "cetrack/ui/compliance.py", title="Compliance", icon=":material/verified_user:"
)
RECORDS = [
    st.Page(
        "cetrack/ui/dashboard.py", title="Dashboard", icon=":material/dashboard:", default=True
    ),
    st.Page(
        "cetrack/ui/credentials.py", title="Licenses & certifications", icon=":material/badge:"
    ),
    st.Page("cetrack/ui/ce_log.py", title="CE log", icon=":material/menu_book:"),
    st.Page("cetrack/ui/reports.py", title="Reports", icon=":material/download:"),
    st.Page("cetrack/ui/rules_browser.py", title="Rules", icon=":material/gavel:"),
]

if accounts_on(ws):
    actor = signed_in_actor(ws)
    if actor is None:
        pages = [st.Page("cetrack/ui/sign_in.py", title="Sign in", icon=":material/login:")]
    else:
        pages = (
            RECORDS
            + ([COMPLIANCE] if HR in actor.roles else [])
            + ([PEOPLE] if actor.roles & {HR, ADMIN} else [])
            + ([ACCOUNTS] if ADMIN in actor.roles else [])
            + ([TRAIL] if actor.roles & {HR, ADMIN} else [])
        )
        if st.sidebar.button("Sign out", key="sign_out", icon=":material/logout:"):
            sign_out("You are signed out.")
            st.rerun()
elif current_person(ws) is None:
    pages = [st.Page("cetrack/ui/welcome.py", title="Welcome", icon=":material/waving_hand:")]
else:
    pages = [*RECORDS, ACCOUNTS]
show_flash()
st.navigation(pages).run()
