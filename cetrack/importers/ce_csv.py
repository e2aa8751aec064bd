"""Parse a CSV of CE activities and validate each row: pure, no database.

`services/imports.py` checks the valid rows against the person's log and commits them. The
columns are those of cetrack's own CE-log export, so an export imports back unchanged; `hours`
is read as `amount` for files written before the rename.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from cetrack.csv_cells import restore
from cetrack.inputs import ActivityInput, InputError, validate_activity

REQUIRED = ("title", "completed", "amount", "format")
OPTIONAL = ("provider", "unit", "categories", "type", "notes")
EXPORT_ONLY = ("id", "certificate_file", "certificate_sha256")  # read, ignored
ALIASES = {"hours": "amount"}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
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


MAX_CELL_BYTES = 128 * 1024
# A cell may not exceed MAX_CELL_BYTES (a row error); the csv module's own limit (128 KB by
# default, an error that ends the whole read) is raised to the file limit, which no cell exceeds.
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise InputError({"file": "the file is larger than 2 MB; split it into smaller files"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError({"file": "the file is not UTF-8 text; save it as CSV UTF-8"}) from None
    if "\r" in text and "\n" not in text:
        raise InputError(
            {
                "file": "its lines end in carriage returns only (an old Mac format); "
                "save it as CSV UTF-8"
            }
        )
    return text


def _row_input(row: dict[str, str]) -> dict:
    values = {key: restore(value.strip()) for key, value in row.items()}
    data = {key: values[key] for key in REQUIRED + OPTIONAL if values.get(key)}
    if "categories" in data:
        parts = data["categories"].replace(",", ";").split(";")
        data["categories"] = [part.strip() for part in parts if part.strip()]
    return data


def _header(names: list[str]) -> list[str]:
    header = [ALIASES.get(name.strip(), name.strip()) for name in names]
    missing = [name for name in REQUIRED if name not in header]
    known = REQUIRED + OPTIONAL + EXPORT_ONLY
    unknown = [name for name in header if name and name not in known]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    problems = []
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s): {', '.join(unknown)}")
    if repeated:
        problems.append(f"duplicate column(s): {', '.join(repeated)}")
    if problems:
        expected = ", ".join(REQUIRED + OPTIONAL)
        raise InputError({"file": f"{'; '.join(problems)} (expected: {expected})"})
    return header


def _row_problem(cells: list[str], header: list[str]) -> str | None:
    if len(cells) > len(header):
        return f"the row has more cells than the header ({len(cells)}, not {len(header)})"
    if any(len(cell.encode()) > MAX_CELL_BYTES for cell in cells):
        return "a cell is longer than 128 KB"
    return None


def parse_ce_csv(data: bytes, *, today: date) -> ParsedFile:
    """Validate every row; a row repeating an earlier one of the file is rejected. Rows are
    named by the line of the file they start on."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    parsed = ParsedFile()
    seen: set[tuple] = set()
    try:
        header = _header(next(reader, []))
        line = reader.line_num + 1
        for count, cells in enumerate(reader, start=1):
            row_line, line = line, reader.line_num + 1
            if count > MAX_ROWS:
                raise InputError({"file": f"more than {MAX_ROWS} rows; split the file"})
            if not any(cell.strip() for cell in cells):
                continue
            problem = _row_problem(cells, header)
            if problem:
                parsed.rejected.append((row_line, problem))
                continue
            try:
                activity = validate_activity(
                    _row_input(dict(zip(header, cells, strict=False))), today=today
                )
            except InputError as error:
                reasons = "; ".join(f"{name}: {message}" for name, message in error.errors.items())
                parsed.rejected.append((row_line, reasons))
                continue
            key = activity.duplicate_key()
            if key in seen:
                parsed.rejected.append((row_line, "the same activity appears earlier in the file"))
                continue
            seen.add(key)
            parsed.rows.append((row_line, activity))
    except csv.Error as error:
        raise InputError({"file": f"not a readable CSV file ({error})"}) from None
    return parsed
