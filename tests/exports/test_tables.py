"""The CE log as CSV and XLSX: read both back with pandas and compare with the activities."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest

from cetrack.db.models import Activity
from cetrack.exports.tables import COLUMNS, activity_frame, to_csv, to_xlsx
from cetrack.importers.ce_csv import parse_ce_csv


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), keep_default_na=False, encoding="utf-8-sig")


def read_xlsx(data: bytes) -> pd.DataFrame:
    frame = pd.read_excel(io.BytesIO(data), keep_default_na=False)
    frame["completed"] = [value.date().isoformat() for value in frame["completed"]]
    return frame


def expected_rows(demo) -> list[dict]:
    rows = []
    for activity in sorted(demo.activities, key=lambda a: (a.completed, a.id)):
        certificate = demo.certificates.get(activity.certificate_id)
        rows.append(
            {
                "id": activity.id,
                "completed": activity.completed.isoformat(),
                "title": activity.title,
                "provider": activity.provider,
                "amount": activity.amount,
                "unit": activity.unit,
                "categories": activity.categories,
                "format": activity.format,
                "type": activity.type,
                "notes": activity.notes,
                "certificate_file": certificate.filename if certificate else "",
                "certificate_sha256": certificate.sha256 if certificate else "",
            }
        )
    return rows


def rows_of(frame: pd.DataFrame) -> list[dict]:
    rows = frame.to_dict("records")
    for row in rows:
        row["categories"] = row["categories"].split("; ") if row["categories"] else []
    return rows


@pytest.mark.parametrize(("write", "read"), [(to_csv, read_csv), (to_xlsx, read_xlsx)])
def test_the_log_reads_back_as_the_activities(demo, write, read):
    frame = read(write(activity_frame(demo.activities, demo.certificates)))
    assert tuple(frame.columns) == COLUMNS
    assert rows_of(frame) == expected_rows(demo)
    assert (frame["certificate_sha256"] != "").sum() == sum(
        1 for activity in demo.activities if activity.certificate_id
    )


def awkward_activity() -> Activity:
    return Activity(
        id=7,
        person_id=1,
        title='=HYPERLINK("https://example.org") \u00c9thique, "quoted"',
        provider="+1 provider; with semicolon",
        completed=date(2026, 3, 1),
        amount=1.5,
        unit="ceu",
        categories=["ethics", "telehealth"],
        format="self_study",
        type="independent_study",
        notes="line one\nline two",
    )


def test_formulas_quotes_accents_and_newlines_stay_text_in_xlsx():
    activity = awkward_activity()
    (row,) = rows_of(read_xlsx(to_xlsx(activity_frame([activity], {}))))
    assert row["title"] == activity.title
    assert row["provider"] == activity.provider
    assert row["notes"] == activity.notes
    assert row["amount"] == 1.5 and row["unit"] == "ceu"
    assert row["categories"] == ["ethics", "telehealth"]


def test_csv_has_a_byte_order_mark_for_spreadsheets():
    assert to_csv(activity_frame([awkward_activity()], {})).startswith(b"\xef\xbb\xbfid,")


def test_an_empty_log_still_has_its_header():
    frame = read_csv(to_csv(activity_frame([], {})))
    assert tuple(frame.columns) == COLUMNS and frame.empty


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_a_spreadsheet_would_run_are_neutralized_and_import_back(start):
    """OWASP CSV injection: the cell gets a leading apostrophe; cetrack's importer drops it."""
    title = f"{start}cmd|' /C calc'!A0"
    activity = awkward_activity().model_copy(update={"title": title, "notes": ""})
    data = to_csv(activity_frame([activity], {}))
    (row,) = read_csv(data).to_dict("records")
    assert row["title"] == "'" + title
    assert row["provider"] == "'" + activity.provider
    (imported,) = parse_ce_csv(data, today=date(2026, 11, 22)).rows
    assert imported[1].title == title.strip()
