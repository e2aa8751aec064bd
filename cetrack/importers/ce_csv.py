"""Parse a CSV of CE activities and validate each row: pure, no database.

`services/imports.py` checks the valid rows against the person's log and commits them. The
columns are those of cetrack's own CE-log export, so an export imports back unchanged; `hours`
is read as `amount` for files written before the rename.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cetrack.csv_cells import restore
from cetrack.importers.csv_file import Columns, read_rows, reasons
from cetrack.inputs import ActivityInput, InputError, validate_activity

REQUIRED = ("title", "completed", "amount", "format")
OPTIONAL = ("provider", "unit", "categories", "type", "notes")
COLUMNS = Columns(
    required=REQUIRED,
    optional=OPTIONAL,
    ignored=("id", "certificate_file", "certificate_sha256"),  # an export's own
    aliases={"hours": "amount"},
)
TEMPLATE = (
    ",".join(REQUIRED + OPTIONAL)
    + "\n"
    + "Ethics in telehealth,2026-02-01,3,live_online,NBCC provider #6721,hours,"
    + '"ethics; telehealth",course,\n'
)


@dataclass
class ParsedFile:
    """Each valid row with its line number, and each rejected line with its reason."""

    rows: list[tuple[int, ActivityInput]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _row_input(row: dict[str, str]) -> dict:
    values = {key: restore(value.strip()) for key, value in row.items()}
    data = {key: values[key] for key in REQUIRED + OPTIONAL if values.get(key)}
    if "categories" in data:
        parts = data["categories"].replace(",", ";").split(";")
        data["categories"] = [part.strip() for part in parts if part.strip()]
    return data


def parse_ce_csv(data: bytes, *, today: date) -> ParsedFile:
    """Validate every row; a row repeating an earlier one of the file is rejected. Rows are
    named by the line of the file they start on."""
    parsed = ParsedFile()
    seen: set[tuple] = set()
    for line, row in read_rows(data, COLUMNS):
        if isinstance(row, str):
            parsed.rejected.append((line, row))
            continue
        try:
            activity = validate_activity(_row_input(row), today=today)
        except InputError as error:
            parsed.rejected.append((line, reasons(error)))
            continue
        key = activity.duplicate_key()
        if key in seen:
            parsed.rejected.append((line, "the same activity appears earlier in the file"))
            continue
        seen.add(key)
        parsed.rows.append((line, activity))
    return parsed
