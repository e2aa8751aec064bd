"""Rules browser: any state's rule for any license, with its sources and verification date."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cetrack.rules.provenance import confidence, unconfirmed_sources
from cetrack.ui.state import workspace
from cetrack.wording import UNCONFIRMED, category_label, formats_phrase, renewal_text

registry = workspace().registry
st.title("Rules")
st.caption(
    "Every number below comes from a cited source. Rules change: check the board before "
    "relying on a rule, and tell us when one is out of date."
)
for error in registry.errors:
    st.error("A rule file could not be loaded and is not used:\n\n" + "\n".join(error.lines()))

states = sorted({rule.state for rule in registry.rules.values()})
left, right = st.columns(2)
state = left.selectbox("State", states, key="rules_state")
rule_ids = [rule_id for rule_id in registry.ids() if rule_id.startswith(f"{state}/")]
rule_id = right.selectbox(
    "License",
    rule_ids,
    format_func=lambda rid: f"{rid} — {registry.get(rid).title}",
    key="rules_id",
)
rule = registry.get(rule_id)
sources = {source.id: source for source in rule.sources}
secondary = unconfirmed_sources(rule)


def cite(source_id: str | None) -> str:
    """A link to the source; a secondary one is flagged: what it backs is unconfirmed."""
    source = sources.get(source_id)
    if source is None:
        return ""
    flag = f" :orange[({UNCONFIRMED}: secondary source)]" if source_id in secondary else ""
    return f"[{source.title}]({source.url}){flag}"


st.header(f"{rule.title} ({rule.id})")
st.markdown(
    f"**Board:** [{rule.board}]({rule.board_url}) · [License look-up]({rule.verification_url})  \n"
    f"**Verified:** {rule.verified_on} · **Tier:** {rule.tier} · "
    f"**Confidence:** {confidence(rule):.0%} of its numbers rest on official text"
)

for renewal in rule.renewal:
    since = f" (from {renewal.effective_from})" if renewal.effective_from else ""
    st.markdown(f"**Renewal{since}:** {renewal_text(renewal)} — {cite(renewal.source)}")

for version in rule.ce:
    span = " to ".join(str(day) for day in (version.effective_from, version.effective_until) if day)
    st.subheader(f"Continuing education{f' ({span})' if span else ''}")
    st.markdown(f"**{version.total_hours:g} hours** per cycle — {cite(version.source)}")
    if version.requirements:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Requirement": requirement.title,
                        "Hours": requirement.hours,
                        "Topics": ", ".join(category_label(c) for c in requirement.categories),
                        "Formats": formats_phrase(requirement.formats)
                        if requirement.formats
                        else "any",
                        "How often": requirement.frequency.replace("_", " "),
                        "Counts toward total": requirement.counts_toward_total,
                        "Source": (sources.get(requirement.source or version.source)).url,
                        "Confirmed": (requirement.source or version.source) not in secondary,
                    }
                    for requirement in version.requirements
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    for cap in version.caps:
        limit = (
            f"{cap.max_hours:g} h"
            if cap.max_hours is not None
            else f"{cap.max_fraction} of the total"
        )
        st.markdown(
            f"- At most {limit} {cap.title} per {cap.per} — {cite(cap.source or version.source)}"
        )
    carry = version.carryover.max_hours
    st.markdown(
        f"- Carryover: {f'up to {carry:g} h' if carry else 'not allowed'} — "
        f"{cite(version.carryover.source)}"
    )
    st.markdown(
        f"- First renewal: {version.first_renewal.mode} — {cite(version.first_renewal.source)}"
    )

for experience in rule.supervised_experience:
    st.subheader(experience.title)
    facts = {
        "Total hours": experience.total_hours,
        "Direct client contact": experience.direct_hours,
        "Supervision hours": experience.supervision_hours,
        "Individual supervision": experience.individual_supervision_hours,
        "Minimum months": experience.months_min,
        "Maximum months": experience.months_max,
        "Minimum weeks": experience.weeks_min,
        "Weekly maximum": experience.weekly_hours_max,
    }
    st.markdown("\n".join(f"- {label}: {value:g}" for label, value in facts.items() if value))
    st.markdown(f"Source: {cite(experience.source)}")

if rule.not_evaluated:
    st.subheader("Also required (not checked by cetrack)")
    st.markdown("\n".join(f"- {item.title} — {cite(item.source)}" for item in rule.not_evaluated))
if rule.conflicts:
    st.subheader("Where sources disagree")
    for conflict in rule.conflicts:
        st.markdown(
            f"**{conflict.topic}.** Encoded: {conflict.encoded} Elsewhere: {conflict.alternatives}"
        )
if rule.notes:
    st.subheader("Notes")
    st.markdown("\n".join(f"- {note}" for note in rule.notes))

st.subheader("Sources")
st.dataframe(
    pd.DataFrame(
        [
            {"Title": s.title, "URL": s.url, "Read on": s.retrieved, "Authority": s.authority}
            for s in rule.sources
        ]
    ),
    hide_index=True,
    width="stretch",
    column_config={"URL": st.column_config.LinkColumn()},
)
