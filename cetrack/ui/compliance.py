"""Compliance: HR's view of the organization. Counts and lists of expired and expiring
licenses, CE behind and verifications missing or overdue, filtered by department, role, state
and license type; expirations by month; a member's read-only dashboard; primary-source
verification; and the exports. Everything is read from stored results."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from cetrack.roles import HR
from cetrack.services import compliance, experience, org_reports, verification
from cetrack.services.errors import Forbidden, InputError, NotFound
from cetrack.ui.state import (
    bring_up_to_date,
    flash,
    organization_for,
    plain,
    require_actor,
    show_errors,
    today,
    upload_of,
    workspace,
)
from cetrack.wording import VERIFICATION_FLAG_WORDS, ce_text, expiry_text

PAGE_SIZE = 50

ws = workspace()
actor, me = require_actor(ws)
place = organization_for(ws, actor, {HR})
day = today()
st.title(f"Compliance at {plain(place.name)}")

with ws.transaction() as session:
    choices = compliance.filter_choices(session, actor=actor, organization=place)
columns = st.columns(4)
filters = compliance.Filters(
    departments=tuple(columns[0].multiselect("Department", choices.departments, key="f_dept")),
    roles=tuple(columns[1].multiselect("Role", choices.roles, key="f_role")),
    states=tuple(columns[2].multiselect("State", choices.states, key="f_state")),
    license_types=tuple(
        columns[3].multiselect("License type", choices.license_types, key="f_type")
    ),
)
with ws.transaction() as session:
    summary = compliance.compliance_summary(
        session, actor=actor, organization=place, registry=ws.registry, today=day, filters=filters
    )

if summary.pending:
    st.warning(f"{summary.pending} result(s) are not up to date; the counts below may change.")
    if st.button("Bring results up to date", key="bring_up_to_date"):
        bring_up_to_date(ws, actor, place, "Evaluating ...")
        st.rerun()

metrics = st.columns(7)
for column, (label, value) in zip(
    metrics,
    [
        ("Expired", summary.expired),
        ("Expiring ≤ 30 days", summary.expiring[30]),
        ("≤ 60 days", summary.expiring[60]),
        ("≤ 90 days", summary.expiring[90]),
        ("CE incomplete", summary.ce_incomplete),
        ("Never verified", summary.unverified),
        ("Verification overdue", summary.overdue_verification),
    ],
    strict=True,
):
    column.metric(label, value)
st.caption(
    f"{summary.people} people, {summary.licenses} licenses; "
    f"{summary.verification_problem} where the board did not show the license active. "
    f"Licenses are re-verified every {place.reverify_days} days."
)

if summary.by_month:
    st.subheader("Expirations by month")
    st.bar_chart(
        pd.DataFrame({"Expirations": summary.by_month}), x_label="Month", y_label="Licenses"
    )

with ws.transaction() as session:
    behind = experience.associates_behind(
        session, actor=actor, organization=place, registry=ws.registry, today=day
    )
if behind:
    st.subheader("Associates behind on supervised hours")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Name": row.name,
                    "Toward": row.rule_id,
                    "Projected eligibility": row.projected_eligible or "No projection",
                    "Period ends": row.period_ends,
                    "Still needed": "; ".join(
                        f"{title}: {left:g}" for title, left in row.remaining
                    ),
                }
                for row in behind
            ]
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader("Licenses")
pages = max(1, math.ceil(summary.licenses / PAGE_SIZE))
number = 1
if pages > 1:
    number = int(
        st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, key="license_page")
    )
page = compliance.Page(number=min(number, pages), size=PAGE_SIZE)
with ws.transaction() as session:
    rows = compliance.compliance_rows(
        session,
        actor=actor,
        organization=place,
        registry=ws.registry,
        today=day,
        filters=filters,
        page=page,
    )
if pages > 1:
    st.caption(
        f"Licenses {page.offset + 1} to {page.offset + len(rows)} of {summary.licenses}; "
        "the member and license choices below are this page's."
    )
table = pd.DataFrame(
    [
        {
            "Name": row.name,
            "Department": row.department,
            "License": f"{row.rule_id} {row.number}".strip(),
            "Expires": row.expires,
            "Standing": expiry_text(row, day),
            "CE": ce_text(row, day),
            "Verification": VERIFICATION_FLAG_WORDS.get(row.verification_flag(day) or "")
            or f"Verified {row.verified_on}",
        }
        for row in rows
    ]
)
st.dataframe(table, hide_index=True, width="stretch", key="compliance_table")

people_labels = sorted({f"{row.name} <{row.email}>": row.person_id for row in rows}.items())
if people_labels:
    st.subheader("A member's records")
    names = [label for label, _ in people_labels]
    picked = st.selectbox("Member", names, key="drill_person")
    st.page_link(
        "cetrack/ui/dashboard.py",
        label=f"Open {picked.split(' <')[0]}'s dashboard (read-only)",
        icon=":material/visibility:",
        query_params={"person": str(dict(people_labels)[picked])},
    )

license_labels = [f"{row.name}: {row.rule_id} {row.number}".strip() for row in rows]
if license_labels:
    st.subheader("Record a verification")
    label = st.selectbox("License", license_labels, key="verify_license")
    target = rows[license_labels.index(label)]
    with ws.transaction() as session:
        history = verification.verification_history(
            session, actor=actor, credential_id=target.credential_id
        )
    board_url = verification.lookup_url(ws.registry, target.rule_id)
    st.link_button("Open the board's license look-up", board_url, icon=":material/open_in_new:")
    if history:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Verified on": entry.verification.verified_on,
                        "By": entry.verifier,
                        "Method": verification.METHODS[entry.verification.method],
                        "Result": verification.RESULTS[entry.verification.result],
                        "Evidence": "yes" if entry.verification.evidence_certificate_id else "",
                        "Current": entry.current,
                    }
                    for entry in history
                ]
            ),
            hide_index=True,
            key="verification_history",
        )
    with st.form("verify"):
        verified_on = st.date_input("Verified on", value=day, max_value=day, key="verified_on")
        methods = list(verification.METHODS)
        method = st.selectbox("Method", methods, key="verify_method")
        results = list(verification.RESULTS)
        result = st.selectbox("Result", results, key="verify_result")
        evidence = st.file_uploader(
            "Evidence (PDF, PNG or JPEG)", type=["pdf", "png", "jpg", "jpeg"], key="evidence"
        )
        note = st.text_input("Note (optional)", key="verify_note")
        recorded = st.form_submit_button("Record the verification")
    if recorded:
        try:
            with ws.transaction() as session:
                verification.record_verification(
                    session,
                    actor=actor,
                    credential_id=target.credential_id,
                    data={
                        "verified_on": verified_on,
                        "method": method,
                        "result": result,
                        "note": note,
                    },
                    evidence=upload_of(evidence),
                    registry=ws.registry,
                    files_dir=ws.files_dir,
                    today=day,
                )
        except InputError as error:
            show_errors(error)
        except (Forbidden, NotFound) as error:
            st.error(plain(error))
        else:
            flash(f"Recorded the verification of {label}")
            st.rerun()

with st.expander("Re-verification interval"), st.form("interval"):
    days = st.number_input(
        "Re-verify each license every (days)",
        min_value=1,
        max_value=verification.LONGEST_INTERVAL,
        value=place.reverify_days,
    )
    if st.form_submit_button("Save the interval"):
        try:
            with ws.transaction() as session:
                verification.set_reverify_interval(
                    session, actor=actor, organization=place, days=int(days)
                )
        except InputError as error:
            show_errors(error)
        else:
            flash(f"Licenses are now re-verified every {int(days)} days")
            st.rerun()

st.subheader("Exports")
EXPORTS = [
    ("xlsx", "Roster (XLSX)", "roster.xlsx", "application/vnd.ms-excel"),
    ("csv", "Roster (CSV)", "roster.csv", "text/csv"),
    ("pdf", "Compliance report (PDF)", "compliance-report.pdf", "application/pdf"),
    ("ics", "Expirations calendar (.ics)", "expirations.ics", "text/calendar"),
]
prepared_key = f"exports_{place.id}"
if st.button("Prepare the exports", key="prepare_exports", icon=":material/download:"):
    with st.spinner("Preparing the exports ..."), ws.transaction() as session:
        st.session_state[prepared_key] = {
            kind: org_reports.organization_export(
                session, actor=actor, organization=place, registry=ws.registry, today=day, kind=kind
            )
            for kind, *_ in EXPORTS
        }
prepared = st.session_state.get(prepared_key)
if prepared:
    st.caption("Prepared from the results shown above; prepare again after a change.")
    for column, (kind, label, name, mime) in zip(st.columns(4), EXPORTS, strict=True):
        column.download_button(
            label, prepared[kind], file_name=name, mime=mime, key=f"download_{kind}"
        )
