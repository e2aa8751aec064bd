"""cetrack's app: routes to the pages this user may see (`make run` starts it).

Single-user mode (no accounts): the one clinician's pages, or the Welcome page before there
is one. Once accounts are on: only the sign-in page until someone signs in, then their pages
(Supervision for supervisors, Compliance for HR, People and the audit trail for HR and
admins, Accounts for an admin), with a sign-out button.
A page left out is not reachable by its URL either; each page and service checks again.
"""

import streamlit as st

from cetrack.services.actor import ADMIN, HR, SUPERVISOR
from cetrack.ui.state import (
    accounts_on,
    current_person,
    show_flash,
    sign_out,
    signed_in_actor,
    supervises_anyone,
    workspace,
)

st.set_page_config(page_title="cetrack", page_icon=":material/school:", layout="wide")

ws = workspace()
ACCOUNTS = st.Page("cetrack/ui/accounts.py", title="Accounts", icon=":material/group:")
PEOPLE = st.Page("cetrack/ui/people.py", title="People", icon=":material/groups:")
TRAIL = st.Page("cetrack/ui/audit_trail.py", title="Audit trail", icon=":material/history:")
REVIEW = st.Page(
    "cetrack/ui/supervision_review.py", title="Supervision", icon=":material/how_to_reg:"
)
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
    st.Page("cetrack/ui/supervised_hours.py", title="Supervised hours", icon=":material/timer:"),
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
            + ([REVIEW] if actor.supervised or SUPERVISOR in actor.roles else [])
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
    pages = [*RECORDS, *([REVIEW] if supervises_anyone(ws) else []), ACCOUNTS]
show_flash()
st.navigation(pages).run()
