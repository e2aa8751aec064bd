"""Tables (the CE log, the roster): a pandas DataFrame, written as CSV or XLSX."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from cetrack.csv_cells import neutralize
from cetrack.db.models import Activity
from cetrack.exports.records import CertificateFile

# `cetrack import ce` reads these columns back (the export-only ones it ignores)
COLUMNS = (
    "id",
    "completed",
    "title",
    "provider",
    "amount",
    "unit",
    "categories",
    "format",
    "type",
    "notes",
    "certificate_file",
    "certificate_sha256",
)
_WIDTHS = {"title": 48, "provider": 36, "categories": 30, "notes": 40, "certificate_file": 40}


def activity_frame(
    activities: Iterable[Activity],
    certificates: Mapping[int, CertificateFile],
    *,
    certificate_paths: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """One row per activity, oldest first; `certificates` maps certificate ids to records.
    `certificate_paths` (activity id -> path) names each certificate where an archive holds
    it; otherwise the owner's file name is given."""
    rows = []
    for activity in sorted(activities, key=lambda activity: (activity.completed, activity.id)):
        certificate = certificates.get(activity.certificate_id) if activity.certificate_id else None
        rows.append(
            {
                "id": activity.id,
                "completed": activity.completed,
                "title": activity.title,
                "provider": activity.provider,
                "amount": float(activity.amount),
                "unit": activity.unit,
                "categories": "; ".join(activity.categories),
                "format": activity.format,
                "type": activity.type,
                "notes": activity.notes,
                "certificate_file": (
                    (certificate_paths or {}).get(activity.id, certificate.filename)
                    if certificate
                    else ""
                ),
                "certificate_sha256": certificate.sha256 if certificate else "",
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read accented names correctly;
    text that a spreadsheet would run as a formula is neutralized."""
    safe = frame.map(neutralize)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, *, sheet_title: str = "CE log") -> bytes:
    """One sheet, header in bold and frozen; dates as dates, text always as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(frame.itertuples(index=False), start=2):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row_number, column_number, value)
            if isinstance(value, str):
                cell.data_type = "s"  # a title starting with "=" is not a formula
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    for column_number, name in enumerate(frame.columns, start=1):
        letter = sheet.cell(1, column_number).column_letter
        sheet.column_dimensions[letter].width = _WIDTHS.get(name, max(len(name) + 2, 12))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
