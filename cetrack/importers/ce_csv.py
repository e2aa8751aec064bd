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


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise InputError({"file": "the file is larger than 2 MB; split it into smaller files"})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError({"file": "the file is not UTF-8 text; save it as CSV UTF-8"}) from None


def _row_input(row: dict[str, str]) -> dict:
    values = {key: (value or "").strip() for key, value in row.items() if isinstance(key, str)}
    data = {key: values[key] for key in REQUIRED + OPTIONAL if values.get(key)}
    if "categories" in data:
        parts = data["categories"].replace(",", ";").split(";")
        data["categories"] = [part.strip() for part in parts if part.strip()]
    return data


def _header(names: list[str] | None) -> list[str]:
    header = [ALIASES.get(name.strip(), name.strip()) for name in names or []]
    missing = [name for name in REQUIRED if name not in header]
    known = REQUIRED + OPTIONAL + EXPORT_ONLY
    unknown = [name for name in header if name and name not in known]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s): {', '.join(unknown)}")
        expected = ", ".join(REQUIRED + OPTIONAL)
        raise InputError({"file": f"{'; '.join(problems)} (expected: {expected})"})
    return header


def parse_ce_csv(data: bytes, *, today: date) -> ParsedFile:
    """Validate every row; a row repeating an earlier one of the file is rejected."""
    reader = csv.DictReader(io.StringIO(_decode(data)))
    try:
        reader.fieldnames = _header(reader.fieldnames)
    except csv.Error as error:
        raise InputError({"file": f"not a readable CSV file ({error})"}) from None
    parsed = ParsedFile()
    seen: set[tuple] = set()
    try:
        for line, row in enumerate(reader, start=2):
            if line - 1 > MAX_ROWS:
                raise InputError({"file": f"more than {MAX_ROWS} rows; split the file"})
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            try:
                activity = validate_activity(_row_input(row), today=today)
            except InputError as error:
                reasons = "; ".join(f"{name}: {message}" for name, message in error.errors.items())
                parsed.rejected.append((line, reasons))
                continue
            key = activity.duplicate_key()
            if key in seen:
                parsed.rejected.append((line, "the same activity appears earlier in the file"))
                continue
            seen.add(key)
            parsed.rows.append((line, activity))
    except csv.Error as error:
        raise InputError({"file": f"not a readable CSV file ({error})"}) from None
    return parsed
