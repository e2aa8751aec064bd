"""cetrack's app: routes to the pages this user may see (`make run` starts it)."""

import streamlit as st

from cetrack.ui.state import current_person, show_flash, workspace

st.set_page_config(page_title="cetrack", page_icon=":material/school:", layout="wide")

if current_person(workspace()) is None:
    pages = [st.Page("cetrack/ui/welcome.py", title="Welcome", icon=":material/waving_hand:")]
else:
    pages = [
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
show_flash()
st.navigation(pages).run()
