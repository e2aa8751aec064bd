"""Supervised-experience CSVs from other trackers: header spellings and aliases, US dates,
week-of periods, a reason per field for each rejected row, and hostile files refused whole
with one message (never a traceback)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cetrack.importers.csv_file import MAX_BYTES
from cetrack.importers.supervision_csv import READY, TEMPLATE, parse_supervision_csv
from cetrack.inputs import InputError
from tests.services.helpers import TODAY

TIME2TRACK = (
    b"Week Of,Direct Hours,Telehealth Hours,Couples/Family Hours,Indirect Hours,"
    b"Individual Supervision (hrs),Triadic Supervision,Group Supervision Hours,Group Size,"
    b"Video,Site,Comments\r\n"
    b"01/05/2026,20,4,2,10,1,0,2,4,Yes,Riverside Clinic,first week\r\n"
    b"2026-01-12,18.5,,,8,1,1,,,no,Riverside Clinic,\r\n"
)


def parse(data: bytes):
    return parse_supervision_csv(data, relationship_id=7, today=TODAY)


def test_time2track_headers_and_us_dates_are_read():
    report = parse(TIME2TRACK)
    assert [row.status for row in report.rows] == [READY, READY]
    first, second = (row.data for row in report.rows)
    assert (first.start, first.end) == (date(2026, 1, 5), date(2026, 1, 11))
    assert (first.direct, first.telehealth, first.couples_family, first.indirect) == (20, 4, 2, 10)
    assert (first.individual_supervision, first.group_supervision, first.group_size) == (1, 2, 4)
    assert (first.video, first.setting, first.notes) == (True, "Riverside Clinic", "first week")
    assert first.relationship_id == 7
    assert (second.start, second.direct, second.triadic_supervision) == (date(2026, 1, 12), 18.5, 1)
    assert report.hours == first.hours + second.hours == 33 + 28.5


def test_the_template_and_start_end_columns_are_read():
    (row,) = parse(TEMPLATE.encode()).rows
    assert row.status == READY
    assert (row.data.start, row.data.end) == (date(2026, 1, 5), date(2026, 1, 11))


@pytest.mark.parametrize(
    "line, field, words",
    [
        ("01/05/2026,01/11/2026,-2,0,0", "direct", "enter 0 or more"),
        ("01/05/2026,01/11/2026,10,12,0", "telehealth", "part of direct hours"),
        ("01/05/2026,01/11/2026,ten,0,0", "direct", "enter a number"),
        ("01/05/2026,01/11/2026,=SUM(A1:A3),0,0", "direct", "spreadsheet formula"),
        ("13/05/2026,01/11/2026,10,0,0", "start", "not a real date"),
        ("01/05/26,01/11/2026,10,0,0", "start", "four-digit year"),
        ("01/11/2026,01/05/2026,10,0,0", "end", "ends before it starts"),
        ("01/05/2026,02/20/2026,10,0,0", "end", "at most 31 days"),
        ("01/05/2026,,10,0,0", "end", "the period's end date"),
        (",,10,0,0", "start", "or week_of"),
        ("01/05/2026,01/11/2026,10,0,3", "group_size", "how many supervisees"),
        ("01/05/2026,01/11/2026,170,0,0", "direct", "more than the 168 h in a week"),
        ("11/30/2026,12/06/2026,10,0,0", "start", "has not begun yet"),
    ],
)
def test_a_rejected_row_names_each_field_and_why(line, field, words):
    header = b"start,end,direct,telehealth,group_supervision\r\n"
    (row,) = parse(header + line.encode() + b"\r\n").rows
    assert row.status == "rejected" and row.data is None
    assert words in row.errors[field], row.errors


def test_rows_covering_the_same_days_as_an_earlier_row_are_rejected():
    data = (
        b"week_of,direct\r\n2026-01-05,10\r\n2026-01-12,10\r\n2026-01-08,10\r\n\r\n2026-01-19,5\r\n"
    )
    report = parse(data)
    assert [row.line for row in report.ready] == [2, 3, 6]
    (clash,) = report.rejected
    assert (clash.line, clash.errors) == (4, {"start": "overlaps line 2 of the file"})


def test_a_text_formula_is_kept_as_text_for_exports_to_neutralize():
    (row,) = parse(b'week_of,direct,notes\r\n2026-01-05,10,=HYPERLINK("x")\r\n').rows
    assert row.status == READY and row.data.notes == '=HYPERLINK("x")'


def test_a_nul_byte_or_a_row_longer_than_the_header_is_a_row_error():
    report = parse(b"week_of,direct,notes\r\n2026-01-05,10,a\x00b\r\n2026-01-12,1,x,y\r\n")
    assert [row.errors for row in report.rows] == [
        {"notes": "contains a control character (such as NUL); remove it"},
        {"row": "the row has more cells than the header (4, not 3)"},
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (bytes(range(256)) * 4, "not UTF-8 text"),
        ("week_of,direct\n2026-01-05,10\n".encode("utf-16"), "not UTF-8 text"),
        ("week_of,notes\n2026-01-05,café\n".encode("latin-1"), "not UTF-8 text"),
        (b"week_of,direct\n" + b"x" * MAX_BYTES, "larger than 2 MB"),
        (b"week_of,direct\r2026-01-05,10\r", "carriage returns only"),
        (b"week_of,direct,Direct Hours\r\n", "duplicate column(s): direct"),
        (b"week_of,minutes\r\n", "unknown column(s): minutes"),
        (b"week_of,direct\r\n" + b"2026-01-05,1\r\n" * 1001, "more than 1000 rows"),
    ],
    ids=["binary", "UTF-16", "latin-1", "huge", "CR only", "duplicate", "unknown", "long"],
)
def test_hostile_files_are_refused_whole_with_one_message(data, message):
    with pytest.raises(InputError) as refused:
        parse(data)
    assert message in refused.value.errors["file"]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(max_size=200).map(lambda text: text.encode()))
def test_any_bytes_give_a_report_or_one_clear_message(data):
    try:
        report = parse(b"week_of,direct,notes\r\n" + data)
    except InputError as error:
        assert set(error.errors) == {"file"}
        return
    for row in report.rows:
        assert row.status == READY or row.errors
