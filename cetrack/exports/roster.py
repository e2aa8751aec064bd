"""The organization's roster with statuses: a table (CSV, XLSX), a PDF compliance report and
a calendar of every license expiration, from the compliance view's rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

import pandas as pd
from icalendar import Calendar

from cetrack.db.models import Organization
from cetrack.exports.ics import DEFAULT_ALARM_DAYS, PRODID, Milestone, milestone_event
from cetrack.exports.pdf import SummaryPDF, facts, paragraph, section, table
from cetrack.exports.records import ComplianceRow, Summary
from cetrack.wording import VERIFICATION_FLAG_WORDS, ce_text, expiry_text

COLUMNS = (
    "name",
    "email",
    "department",
    "roles",
    "license",
    "number",
    "expires",
    "license_standing",
    "ce_status",
    "ce_hours_missing",
    "ce_deadline",
    "verified_on",
    "verification_result",
    "verification_due",
    "verification_flag",
)


def roster_frame(rows: Sequence[ComplianceRow], today: date) -> pd.DataFrame:
    """One line per license of every active member, with its standing on `today`."""
    return pd.DataFrame(
        [
            {
                "name": row.name,
                "email": row.email,
                "department": row.department,
                "roles": "; ".join(row.roles),
                "license": row.rule_id,
                "number": row.number,
                "expires": row.expires,
                "license_standing": expiry_text(row, today),
                "ce_status": row.ce_status or "not evaluated",
                "ce_hours_missing": row.hours_missing,
                "ce_deadline": row.ce_deadline,
                "verified_on": row.verified_on,
                "verification_result": row.verification_result or "",
                "verification_due": row.verification_due,
                "verification_flag": VERIFICATION_FLAG_WORDS.get(
                    row.verification_flag(today) or "", ""
                ),
            }
            for row in rows
        ],
        columns=list(COLUMNS),
    )


def compliance_pdf(
    organization: Organization, rows: Sequence[ComplianceRow], summary: Summary, today: date
) -> bytes:
    """The compliance report: the counts, then every license needing attention, then all."""
    pdf = SummaryPDF(f"Compliance report - {organization.name} - prepared {today}")
    pdf.set_creation_date(datetime.combine(today, time(), UTC))
    pdf.set_title(f"Compliance report: {organization.name}")
    pdf.set_creator("cetrack")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 8, "Licensure and CE compliance report", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    facts(
        pdf,
        [
            ("Organization", organization.name),
            ("As of", today.isoformat()),
            ("People", str(summary.people)),
            ("Licenses", str(summary.licenses)),
            ("Expired", str(summary.expired)),
            (
                "Expiring",
                ", ".join(
                    f"{count} within {band} days" for band, count in summary.expiring.items()
                ),
            ),
            ("CE incomplete", str(summary.ce_incomplete)),
            ("Never verified", str(summary.unverified)),
            ("Verification overdue", str(summary.overdue_verification)),
            ("Board did not show active", str(summary.verification_problem)),
            ("Re-verify every", f"{organization.reverify_days} days"),
        ],
    )
    if summary.pending:
        paragraph(pdf, f"{summary.pending} result(s) were not up to date when this was prepared.")
    attention = [row for row in rows if _needs_attention(row, today)]
    section(pdf, f"Needing attention ({len(attention)})")
    if attention:
        _rows_table(pdf, attention, today)
    else:
        paragraph(pdf, "Nothing: every license is current, its CE complete and verified.")
    section(pdf, f"Every license ({len(rows)})")
    _rows_table(pdf, rows, today)
    return bytes(pdf.output())


def _needs_attention(row: ComplianceRow, today: date) -> bool:
    return bool(
        row.expired(today)
        or row.expiring_within(today)
        or row.ce_incomplete
        or row.verification_flag(today)
    )


def _rows_table(pdf, rows: Sequence[ComplianceRow], today: date) -> None:
    lines = [("Person", "Department", "License", "Expiration", "CE", "Verification")]
    for row in rows:
        flag = row.verification_flag(today)
        verified = VERIFICATION_FLAG_WORDS[flag] if flag else f"Verified {row.verified_on}"
        expires = row.expires.isoformat() if row.expires else "-"
        lines.append(
            (
                row.name,
                row.department or "-",
                f"{row.rule_id} {row.number}".strip(),
                f"{expires} ({expiry_text(row, today)})",
                ce_text(row, today),
                verified,
            )
        )
    table(pdf, (34, 26, 30, 36, 30, 30), ("LEFT",) * 6, lines)


def organization_ics(
    organization: Organization,
    rows: Sequence[ComplianceRow],
    *,
    stamp: datetime,
    alarm_days: Sequence[int] = DEFAULT_ALARM_DAYS,
) -> bytes:
    """One all-day event per license expiration, with reminders before it; UIDs come from the
    license, so importing a newer export updates the events."""
    calendar = Calendar.new(
        prodid=PRODID,
        name=f"License expirations: {organization.name}",
        uid=f"organization-{organization.id}@cetrack",
        calscale="GREGORIAN",
    )
    days = sorted(set(alarm_days), reverse=True)
    for row in rows:
        if row.expires is None:
            continue
        milestone = Milestone(
            key="expires",
            day=row.expires,
            summary=f"{row.name}: {row.rule_id} {row.number} expires".replace("  ", " "),
            description=(
                f"{row.name} ({row.email}), {row.department or 'no department'}. "
                f"{row.rule_id} {row.number} expires {row.expires}. "
                f"CE: {ce_text(row, stamp.date())}."
            ),
            remind=row.expires >= stamp.date(),
        )
        uid = f"organization-{organization.id}-license-{row.credential_id}@cetrack"
        calendar.add_component(milestone_event(uid, milestone, stamp, days))
    return calendar.to_ical()
