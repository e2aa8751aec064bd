"""The words of the reminder emails `cetrack notify` sends: a clinician's digest of their
coming deadlines and what is still missing, and HR's weekly digest of its organization's
flags. Plain text, no license numbers or birth dates; the app has the details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from cetrack.services.compliance import EXPIRY_BANDS
from cetrack.wording import STATUS_WORDS, VERIFICATION_FLAG_WORDS, hours

if TYPE_CHECKING:
    from cetrack.services.compliance import ComplianceRow, Summary

THRESHOLDS = (90, 30, 7)  # days before a deadline a clinician is reminded
LISTED_AT_MOST = 40  # lines per section of HR's digest; the dashboard has the rest
SIGNATURE = "— cetrack"
PREFIX = "cetrack: "  # every subject starts so, for filtering


@dataclass(frozen=True)
class Due:
    """One credential's coming deadline, as the clinician's digest tells it."""

    rule_id: str
    title: str  # "TX/LPC — Licensed Professional Counselor"
    deadline: date
    days_left: int
    status: str | None  # the CE status, None when it cannot be evaluated
    hours_missing: float = 0.0
    short: tuple[str, ...] = ()  # requirement lines still short ("Ethics: 0 of 6 h ...")
    note: str | None = None  # why it cannot be evaluated, or how it stands on another license


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def _days(count: int) -> str:
    if count == 0:
        return "today"
    return f"in {count} day{'s' if count != 1 else ''}"


def _ce_line(item: Due) -> str:
    if item.status is None:
        return f"CE: cannot be worked out yet ({item.note})" if item.note else "CE: unknown"
    status = STATUS_WORDS.get(item.status, item.status).lower()
    if item.hours_missing > 1e-6:
        return f"CE: {status}, {hours(item.hours_missing)} still needed"
    return f"CE: {status}, nothing more needed" if item.status == "compliant" else f"CE: {status}"


def clinician_subject(items: list[Due]) -> str:
    first = min(items, key=lambda item: item.days_left)
    if len(items) == 1:
        return (
            f"{PREFIX}{first.rule_id} renewal deadline {_days(first.days_left)} ({first.deadline})"
        )
    return (
        f"{PREFIX}{len(items)} renewal deadlines coming up, the first {_days(first.days_left)} "
        f"({first.rule_id}, {first.deadline})"
    )


def clinician_body(name: str, items: list[Due], base_url: str) -> str:
    ordered = sorted(items, key=lambda item: (item.deadline, item.rule_id))
    lines = [f"Hello {name},", "", "Coming up on your licenses and certifications:", ""]
    for item in ordered:
        lines.append(item.title)
        lines.append(f"  Deadline: {item.deadline} ({_days(item.days_left)})")
        lines.append(f"  {_ce_line(item)}")
        lines.extend(f"    {line}" for line in item.short)
        if item.note and item.status is not None:
            lines.append(f"  {item.note}")
        lines.append("")
    lines += [
        f"Log activities and see what to take next: {base_url}",
        "",
        "cetrack reminds you 90, 30 and 7 days before each deadline.",
        SIGNATURE,
    ]
    return "\n".join(lines) + "\n"


def week_label(today: date) -> str:
    """ "2026-W47": the ISO week HR's digest is for."""
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def flag_count(summary: Summary) -> int:
    """How many things HR's digest flags (a license may be flagged more than once)."""
    return (
        summary.expired
        + summary.expiring[max(EXPIRY_BANDS)]
        + summary.ce_incomplete
        + summary.unverified
        + summary.overdue_verification
        + summary.verification_problem
    )


def hr_subject(organization: str, summary: Summary, today: date) -> str:
    count = flag_count(summary)
    return (
        f"{PREFIX}{organization} weekly compliance digest {week_label(today)}, "
        f"{_plural(count, 'flag')}"
    )


def _section(title: str, lines: list[str]) -> list[str]:
    if not lines:
        return []
    shown = lines[:LISTED_AT_MOST]
    more = len(lines) - len(shown)
    tail = [f"  … and {more} more (see the dashboard)"] if more else []
    return [f"{title} ({len(lines)})", *(f"  {line}" for line in shown), *tail, ""]


def _who(row: ComplianceRow) -> str:
    return f"{row.name} — {row.rule_id}"


def hr_body(
    organization: str, rows: list[ComplianceRow], summary: Summary, today: date, base_url: str
) -> str:
    lines = [
        f"{organization}: compliance on {today} (week {week_label(today)})",
        "",
        f"{_plural(summary.people, 'person', 'people')}, {_plural(summary.licenses, 'license')}.",
        "",
        f"Expired: {summary.expired}",
        *(f"Expiring within {band} days: {summary.expiring[band]}" for band in EXPIRY_BANDS),
        f"CE incomplete: {summary.ce_incomplete}",
        f"{VERIFICATION_FLAG_WORDS['never']}: {summary.unverified}",
        f"{VERIFICATION_FLAG_WORDS['overdue']}: {summary.overdue_verification}",
        f"{VERIFICATION_FLAG_WORDS['problem']}: {summary.verification_problem}",
        "",
    ]
    if summary.pending:
        lines += [f"{summary.pending} result(s) could not be brought up to date.", ""]
    expired = [
        f"{_who(row)}, expired" + (f" {row.expires}" if row.expires else "")
        for row in rows
        if row.expired(today)
    ]
    expiring = [
        f"{_who(row)}, expires {row.expires} ({_days(row.days_to_expiry(today))})"
        for row in sorted(rows, key=lambda row: (row.expires or date.max, row.name))
        if row.expiring_within(today)
    ]
    behind = []
    for row in rows:
        if not row.ce_incomplete:
            continue
        left = row.ce_days_left(today)
        if left is None:
            when = ""
        elif left < 0:
            when = f", deadline passed {_plural(-left, 'day')} ago ({row.ce_deadline})"
        else:
            when = f", {_plural(left, 'day')} left (deadline {row.ce_deadline})"
        behind.append(f"{_who(row)}: {hours(row.hours_missing or 0)} missing{when}")
    verification = [
        f"{_who(row)}: {VERIFICATION_FLAG_WORDS[flag]}"
        + (f" (last checked {row.verified_on})" if row.verified_on else "")
        for row in rows
        if (flag := row.verification_flag(today))
    ]
    lines += _section("Expired", expired)
    lines += _section("Expiring within 90 days", expiring)
    lines += _section("CE incomplete", behind)
    lines += _section("Verification", verification)
    lines += [f"Open the compliance dashboard: {base_url}", "", SIGNATURE]
    return "\n".join(lines) + "\n"
