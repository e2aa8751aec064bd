"""Parse a CSV of supervised-experience weeks exported from another tracker and validate each
row: pure, no database.

Headers are matched by their plain spelling ("Direct Hours", "direct (hrs)" and "direct" are
one column) and common aliases; a period is `start` and `end`, or `week_of` (seven days from
it). `services/supervision_reports.py` checks the ready rows against the associate's log.
cetrack's own `logs.csv` (in the verification packet) reads back: its extra columns are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from cetrack.csv_cells import restore
from cetrack.importers.csv_file import Columns, read_rows
from cetrack.inputs import InputError, us_or_iso_date
from cetrack.supervision_inputs import HOUR_FIELDS, LogInput, validate_log

READY, REJECTED = "ready", "rejected"
VALUES = (*HOUR_FIELDS, "group_size", "video", "setting", "notes")
_NUMBERS = (*HOUR_FIELDS, "group_size")
_ALIASES = {
    "start_date": "start",
    "from": "start",
    "date_from": "start",
    "period_start": "start",
    "begin": "start",
    "end_date": "end",
    "to": "end",
    "date_to": "end",
    "period_end": "end",
    "through": "end",
    "week": "week_of",
    "week_starting": "week_of",
    "week_beginning": "week_of",
    "week_start": "week_of",
    "direct_contact": "direct",
    "direct_client_contact": "direct",
    "client_contact": "direct",
    "direct_service": "direct",
    "telehealth_direct": "telehealth",
    "telemental_health": "telehealth",
    "couples_and_family": "couples_family",
    "couple_family": "couples_family",
    "relational": "couples_family",
    "indirect_service": "indirect",
    "non_direct": "indirect",
    "individual": "individual_supervision",
    "supervision_individual": "individual_supervision",
    "triadic": "triadic_supervision",
    "supervision_triadic": "triadic_supervision",
    "group": "group_supervision",
    "supervision_group": "group_supervision",
    "supervisees": "group_size",
    "group_members": "group_size",
    "via_video": "video",
    "video_supervision": "video",
    "site": "setting",
    "location": "setting",
    "note": "notes",
    "comments": "notes",
    "comment": "notes",
}


class _Headers(dict):
    """Aliases looked up by a header's plain spelling: "Couples/Family (hrs)" is
    `couples_family`; a name no alias knows stays in its plain spelling."""

    def get(self, name: str, default: str | None = None) -> str:
        plain = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        plain = re.sub(r"_(hours|hrs|hr|h)$", "", plain)
        return super().get(plain, plain)


COLUMNS = Columns(
    required=(),
    optional=("start", "end", "week_of", *VALUES),
    # the packet's logs.csv: its own columns
    ignored=("id", "status", "supervisor", "signed_at", "signer", "amends_id", "superseded"),
    aliases=_Headers(_ALIASES),
    max_rows=1000,
)
TEMPLATE = (
    "start,end,direct,telehealth,couples_family,indirect,individual_supervision,"
    "triadic_supervision,group_supervision,group_size,video,setting,notes\n"
    "01/05/2026,01/11/2026,20,4,2,10,1,0,2,4,no,Riverside Clinic,\n"
)


@dataclass(frozen=True)
class ImportRow:
    """One line of the file: ready (with its log) or rejected (with a reason per field)."""

    line: int
    data: LogInput | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return READY if self.data is not None and not self.errors else REJECTED

    def rejected(self, errors: dict[str, str]) -> ImportRow:
        return ImportRow(self.line, self.data, {**self.errors, **errors})


@dataclass(frozen=True)
class ImportReport:
    rows: tuple[ImportRow, ...]

    @property
    def ready(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status == READY]

    @property
    def rejected(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status == REJECTED]

    @property
    def hours(self) -> float:
        return sum(row.data.hours for row in self.ready)


def _formulas(values: dict[str, str]) -> dict[str, str]:
    """Number and date cells holding a spreadsheet formula (text cells keep theirs: exports
    neutralize them)."""
    return {
        name: "a spreadsheet formula, not a value; export the values instead"
        for name in (*_NUMBERS, "start", "end", "week_of")
        if values.get(name, "").startswith(("=", "@"))
    }


def _period(values: dict[str, str]) -> dict[str, object]:
    """`start`/`end` as given, or the seven days from `week_of`."""
    week_of = values.get("week_of")
    if week_of and not values.get("start"):
        try:
            first = us_or_iso_date(week_of)
            first = first if isinstance(first, date) else date.fromisoformat(week_of)
        except ValueError:
            raise InputError({"week_of": "enter a date as YYYY-MM-DD or MM/DD/YYYY"}) from None
        return {"start": first, "end": values.get("end") or first + timedelta(days=6)}
    if not values.get("start"):
        raise InputError({"start": "give the period's start and end, or week_of"})
    if not values.get("end"):
        raise InputError({"end": "give the period's end date"})
    return {"start": values["start"], "end": values["end"]}


def _row(line: int, cells: dict[str, str], relationship_id: int, today: date) -> ImportRow:
    values = {key: restore(value.strip()) for key, value in cells.items() if key}
    errors = _formulas(values)
    if errors:
        return ImportRow(line, errors=errors)
    try:
        entered = {name: values[name] for name in VALUES if values.get(name)}
        data = {"relationship_id": relationship_id, **_period(values), **entered}
        return ImportRow(line, validate_log(data, today=today))
    except InputError as error:
        return ImportRow(line, errors=error.errors)


def _overlapping(rows: list[ImportRow]) -> list[ImportRow]:
    """Rows that cover a day an earlier ready row of the file covers are rejected."""
    checked: list[ImportRow] = []
    for row in rows:
        if row.status == READY:
            clash = next(
                (
                    other
                    for other in checked
                    if other.status == READY
                    and other.data.start <= row.data.end
                    and row.data.start <= other.data.end
                ),
                None,
            )
            if clash:
                row = row.rejected({"start": f"overlaps line {clash.line} of the file"})
        checked.append(row)
    return checked


def parse_supervision_csv(data: bytes, *, relationship_id: int, today: date) -> ImportReport:
    """Every row validated as a log under `relationship_id`; InputError (key `file`) for a file
    that cannot be read at all. Rows are named by the line of the file they start on."""
    rows = [
        ImportRow(line, errors={"row": row})
        if isinstance(row, str)
        else _row(line, row, relationship_id, today)
        for line, row in read_rows(data, COLUMNS)
    ]
    return ImportReport(tuple(_overlapping(rows)))
