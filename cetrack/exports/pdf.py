"""The audit summary of one credential: what the rule asks, what counted, how, and why not.

Written with fpdf2's core fonts, which only encode Latin-1: every string passes through
`latin1`, which maps typographic punctuation and a few letters to plain equivalents, strips
accents Latin-1 lacks and replaces what remains with "?".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time

from fpdf import FPDF

from cetrack.db.models import Activity, Person
from cetrack.engine.joint_plan import JointPlan
from cetrack.engine.results import ActivityResult, CEResult
from cetrack.exports.records import CredentialReport
from cetrack.rules.provenance import confidence
from cetrack.wording import (
    FORMAT_WORDS,
    allocation_line,
    amount,
    attested_text,
    dependency_line,
    hours,
    joint_plan_headline,
    joint_plan_line,
    logged_reminder_line,
    note_text,
    number,
    plan_line,
    reason_text,
    status_line,
    unconfirmed_mark,
)

_REPLACEMENTS = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2022": "-",
        "\u0141": "L",
        "\u0142": "l",
        "\u0152": "OE",
        "\u0153": "oe",
        "\u20ac": "EUR",
        "\u2026": "...",
        "\u2192": "->",
        "\u2264": "<=",
        "\u2265": ">=",
    }
)
_FONT = "Helvetica"
_LINE = 5.0


def latin1(text: str) -> str:
    """`text` with only characters Latin-1 can encode: "é" stays, "—" becomes "-", "ő" "o"."""
    if text.isascii():
        return text
    return "".join(_latin1_char(char) for char in text.translate(_REPLACEMENTS))


def _latin1_char(char: str) -> str:
    if ord(char) < 256:
        return char
    base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
    return base or "?"


class SummaryPDF(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(format="Letter")
        self.footer_text = footer_text
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(latin1(text))

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(_FONT, size=8)
        self.set_text_color(100)
        self.cell(0, 4, self.footer_text, align="L")
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0)


def audit_summary_pdf(
    person: Person,
    report: CredentialReport,
    activities: Sequence[Activity],
    *,
    as_of: date,
    joint: JointPlan | None = None,
) -> bytes:
    """One credential's audit summary; `activities` are those its evaluation was given;
    `joint` is the plan across all the person's credentials, shown when it has items."""
    rule, result = report.rule, report.result
    pdf = SummaryPDF(f"CE audit summary - {person.name} - {rule.id} - prepared {as_of}")
    pdf.set_creation_date(datetime.combine(as_of, time(), UTC))
    pdf.set_title(f"CE audit summary: {rule.title} ({rule.id})")
    pdf.set_author(person.name)
    pdf.set_creator("cetrack")
    pdf.add_page()
    pdf.set_font(_FONT, "B", 16)
    pdf.cell(0, 8, "CE audit summary", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=12)
    pdf.multi_cell(0, 6, f"{rule.title} ({rule.id})", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    facts(pdf, _fact_rows(person, report, as_of))
    if result is None:
        section(pdf, "Not evaluated")
        paragraph(pdf, f"cetrack could not evaluate this credential: {report.error}")
    else:
        _requirements(pdf, result, report)
        section(pdf, "Still needed")
        if result.plan:
            bullets(pdf, [plan_line(item, result) for item in result.plan])
        else:
            paragraph(pdf, "Nothing: every requirement is met.")
        if joint and joint.items:
            section(pdf, "One plan for every credential")
            paragraph(pdf, f"{joint_plan_headline(joint)} (one course counts toward each):")
            bullets(pdf, [joint_plan_line(item) for item in joint.items])
        _activities(pdf, result, activities)
        if result.not_evaluated or result.reminders_logged:
            section(pdf, "Not checked by cetrack: confirm these yourself")
            titles = {str(activity.id): activity.title for activity in activities}
            bullets(
                pdf,
                [
                    *(logged_reminder_line(item, titles) for item in result.reminders_logged),
                    *result.not_evaluated,
                ],
            )
        if result.notes:
            section(pdf, "Notes")
            bullets(pdf, [note_text(note) for note in result.notes])
    _sources(pdf, report)
    return bytes(pdf.output())


def _fact_rows(person: Person, report: CredentialReport, as_of: date) -> list[tuple[str, str]]:
    credential, rule, result = report.credential, report.rule, report.result
    rows = [
        ("Licensee", f"{person.name} <{person.email}>"),
        ("Credential number", credential.number or "not recorded"),
        ("Issued", credential.issued.isoformat() if credential.issued else "not recorded"),
        ("Rule", f"{rule.id}: {rule.title}"),
        ("Board", rule.board),
        ("Rule verified on", rule.verified_on.isoformat()),
        (
            "Rule confidence",
            f"{confidence(rule):.0%} of its numbers rest on official text; "
            "the others are marked unconfirmed",
        ),
        ("Prepared on", as_of.isoformat()),
    ]
    if result is None:
        return rows
    cycle = result.cycle
    renewal = "first renewal" if cycle.first_renewal else f"renewal {cycle.renewal_number}"
    rows += [
        ("CE cycle", f"{cycle.start} to {cycle.end} ({renewal})"),
        ("Deadline", f"{result.deadline} ({result.days_left()} days from {result.as_of})"),
        ("Status", status_line(result)),
        *([("Stands on", dependency_line(result.home))] if result.home else []),
    ]
    carryover = result.carryover
    if carryover.carried_in or carryover.carried_out:
        rows.append(
            (
                "Carryover",
                f"{hours(carryover.carried_in)} in, {hours(carryover.carried_out)} to next cycle",
            )
        )
    return rows


def facts(pdf: FPDF, rows: Iterable[tuple[str, str]]) -> None:
    pdf.set_font(_FONT, size=10)
    with pdf.table(
        col_widths=(40, 146),
        text_align="LEFT",
        borders_layout="NONE",
        first_row_as_headings=False,
        line_height=_LINE,
    ) as table:
        for label, value in rows:
            row = table.row()
            pdf.set_font(_FONT, "B", 10)
            row.cell(label)
            pdf.set_font(_FONT, size=10)
            row.cell(value)


def section(pdf: FPDF, title: str) -> None:
    pdf.ln(4)
    pdf.set_font(_FONT, "B", 12)
    pdf.multi_cell(0, 7, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=10)


def paragraph(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, _LINE, text, align="L", new_x="LMARGIN", new_y="NEXT")


def bullets(pdf: FPDF, lines: Iterable[str]) -> None:
    for line in lines:
        paragraph(pdf, f"- {line}")


def table(
    pdf: FPDF, widths: tuple[int, ...], align: tuple[str, ...], rows: Iterable[Sequence[str]]
) -> None:
    """A bordered table, first row as the heading, shaded every other row."""
    pdf.set_font(_FONT, size=9)
    with pdf.table(
        col_widths=widths,
        text_align=align,
        line_height=4.5,
        cell_fill_mode="ROWS",
        cell_fill_color=242,
        repeat_headings=1,
    ) as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)


def _requirements(pdf: FPDF, result: CEResult, report: CredentialReport) -> None:
    section(pdf, "Requirements")
    total = result.total
    deadline = result.deadline.isoformat()
    rows = [
        ("Requirement", "Id", "Required", "Counted", "Remaining", "Due"),
        (
            "Total CE hours" + unconfirmed_mark(report.rule, result.total_source),
            "total",
            number(total.required),
            number(total.counted),
            number(total.remaining),
            deadline,
        ),
    ]
    rows += [
        (
            requirement.title
            + unconfirmed_mark(report.rule, requirement.source)
            + (f" ({attested_text(requirement)})" if requirement.attested_on else ""),
            requirement.id,
            number(requirement.required),
            number(requirement.counted),
            number(requirement.remaining),
            requirement.due.isoformat() if requirement.due else deadline,
        )
        for requirement in result.requirements
    ]
    numbers = ("RIGHT",) * 3
    table(pdf, (74, 36, 17, 17, 20, 22), ("LEFT", "LEFT", *numbers, "LEFT"), rows)


def _activities(pdf: FPDF, result: CEResult, activities: Sequence[Activity]) -> None:
    section(pdf, "Activities")
    rows = [("Date", "Activity and provider", "Format", "Amount", "Counted", "How it counted")]
    for activity in sorted(activities, key=lambda activity: (activity.completed, activity.id)):
        outcome = result.activity(str(activity.id))
        kind = "" if activity.type == "course" else f"\n{activity.type.replace('_', ' ')}"
        provider = f"\n{activity.provider}" if activity.provider else ""
        rows.append(
            (
                activity.completed.isoformat(),
                f"{activity.title}{provider}",
                f"{FORMAT_WORDS.get(activity.format, activity.format)}{kind}",
                amount(activity.amount, activity.unit),
                number(outcome.counted) if outcome else "0",
                _how_counted(outcome, result) if outcome else "not counted",
            )
        )
    if len(rows) == 1:
        paragraph(pdf, "No CE activities are logged.")
        return
    table(pdf, (20, 62, 22, 14, 15, 53), ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT"), rows)


def _how_counted(outcome: ActivityResult, result: CEResult) -> str:
    """ "2 h Ethics; 1 h toward the total only", then each reason hours did not count."""
    titles = {requirement.id: requirement.title for requirement in result.requirements}
    counted = allocation_line(outcome.allocation, titles)
    lines = [counted] if counted else []
    lines += [
        f"Not counted: {hours(reason.hours)} {reason_text(reason)}" for reason in outcome.reasons
    ]
    return "\n".join(lines) or "not counted"


def _sources(pdf: FPDF, report: CredentialReport) -> None:
    section(pdf, f"Rule sources (verified {report.rule.verified_on})")
    pdf.set_font(_FONT, size=9)
    for source in report.rule.sources:
        paragraph(pdf, f"- {source.title} (read {source.retrieved})")
        pdf.set_text_color(30, 60, 160)
        pdf.multi_cell(
            0, 4.5, source.url, align="L", link=source.url, new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_text_color(0)
        pdf.ln(1)
    paragraph(pdf, f"Board: {report.rule.board}, {report.rule.board_url}")
    paragraph(pdf, f"License look-up: {report.rule.verification_url}")
