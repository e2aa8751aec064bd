"""Reading an uploaded CSV safely: its size, encoding, header and each row's cells.

The importers (`ce_csv.py`, `roster_csv.py`) validate what the rows mean; this module only
turns bytes into named rows, or into a clear `InputError` for the whole file, or into a
problem for one row, each named by the line of the file it starts on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from cetrack.inputs import InputError

MAX_BYTES = 2 * 1024 * 1024
MAX_CELL_BYTES = 128 * 1024
# A cell may not exceed MAX_CELL_BYTES (a row error); the csv module's own limit (128 KB by
# default, an error that ends the whole read) is raised to the file limit, which no cell exceeds.
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))


@dataclass(frozen=True)
class Columns:
    """The columns a file must have, may have, and may carry unread (an export's own)."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    max_rows: int = 5000

    @property
    def expected(self) -> str:
        return ", ".join(self.required + self.optional)


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


def _header(names: list[str], columns: Columns) -> list[str]:
    header = [columns.aliases.get(name.strip(), name.strip()) for name in names]
    missing = [name for name in columns.required if name not in header]
    known = columns.required + columns.optional + columns.ignored
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
        raise InputError({"file": f"{'; '.join(problems)} (expected: {columns.expected})"})
    return header


def _row_problem(cells: list[str], header: list[str]) -> str | None:
    if len(cells) > len(header):
        return f"the row has more cells than the header ({len(cells)}, not {len(header)})"
    if any(len(cell.encode()) > MAX_CELL_BYTES for cell in cells):
        return "a cell is longer than 128 KB"
    return None


def read_rows(data: bytes, columns: Columns) -> Iterator[tuple[int, dict[str, str] | str]]:
    """Each non-blank row as (line, cells by column name), or (line, problem) for a row that
    cannot be read; InputError for a file that cannot be read at all."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        header = _header(next(reader, []), columns)
        line = reader.line_num + 1
        for count, cells in enumerate(reader, start=1):
            row_line, line = line, reader.line_num + 1
            if count > columns.max_rows:
                raise InputError({"file": f"more than {columns.max_rows} rows; split the file"})
            if not any(cell.strip() for cell in cells):
                continue
            problem = _row_problem(cells, header)
            yield row_line, problem or dict(zip(header, cells, strict=False))
    except csv.Error as error:
        raise InputError({"file": f"not a readable CSV file ({error})"}) from None


def reasons(error: InputError) -> str:
    """An InputError's messages as one row's reason."""
    return "; ".join(f"{name}: {message}" for name, message in error.errors.items())
