"""Bulk CSV import of CE activities: a preview with a row-by-row report, then an all-or-nothing
write of the accepted rows once the user confirms."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from cetrack.db.models import Activity, Person
from cetrack.services import activities, audit
from cetrack.services.activities import ActivityInput
from cetrack.services.errors import InputError

REQUIRED = ("title", "completed", "hours", "format")
OPTIONAL = ("provider", "unit", "categories", "type", "notes")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
TEMPLATE = (
    ",".join(REQUIRED + OPTIONAL)
    + "\n"
    + "Ethics in telehealth,2026-02-01,3,live_online,NBCC provider #6721,hours,"
    + '"ethics; telehealth",course,\n'
)


@dataclass
class ImportPreview:
    accepted: list[tuple[int, ActivityInput]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)

    @property
    def hours(self) -> float:
        return sum(row.hours for _, row in self.accepted)


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise InputError({"file": "the file is larger than 2 MB; split it into smaller files"})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError({"file": "the file is not UTF-8 text; save it as CSV UTF-8"}) from None


def _row_input(row: dict[str, str]) -> dict:
    values = {key: (value or "").strip() for key, value in row.items() if key}
    data = {key: values[key] for key in REQUIRED + OPTIONAL if values.get(key)}
    if "categories" in data:
        parts = data["categories"].replace(",", ";").split(";")
        data["categories"] = [part.strip() for part in parts if part.strip()]
    return data


def preview_import(session: Session, *, person: Person, data: bytes, today: date) -> ImportPreview:
    """Check every row; nothing is written."""
    reader = csv.DictReader(io.StringIO(_decode(data)))
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name and name not in REQUIRED + OPTIONAL]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s): {', '.join(unknown)}")
        expected = ", ".join(REQUIRED + OPTIONAL)
        raise InputError({"file": f"{'; '.join(problems)} (expected: {expected})"})
    preview = ImportPreview()
    seen: set[tuple] = set()
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise InputError({"file": f"more than {MAX_ROWS} rows; split the file"})
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        try:
            activity = activities.validate_activity(_row_input(row), today=today)
        except InputError as error:
            reasons = "; ".join(f"{name}: {message}" for name, message in error.errors.items())
            preview.rejected.append((line, reasons))
            continue
        key = (activity.title.lower(), activity.completed, activity.hours)
        if key in seen:
            preview.rejected.append((line, "the same activity appears earlier in the file"))
            continue
        if activities.same_activity(session, person=person, data=activity):
            preview.rejected.append((line, "already in your CE log (same title, date and hours)"))
            continue
        seen.add(key)
        preview.accepted.append((line, activity))
    return preview


def commit_import(
    session: Session, *, person: Person, preview: ImportPreview, today: date
) -> list[Activity]:
    """Write every accepted row in the caller's transaction (all or nothing)."""
    created = [
        activities.log_activity(session, person=person, data=row, today=today)
        for _, row in preview.accepted
    ]
    audit.record(
        session,
        person_id=person.id,
        action="import",
        entity="activity",
        entity_id=None,
        detail={"rows": len(created), "rejected": len(preview.rejected)},
    )
    return created
