"""Hostile CSV files: refused whole with a reason, or row by row, never a traceback and never
a database error (issue 7, defect 12). A Hypothesis property covers any bytes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cetrack.importers.ce_csv import parse_ce_csv
from cetrack.services import imports
from cetrack.services.errors import InputError
from tests.services.helpers import TODAY, listed, me, new_person

HEADER = b"title,completed,amount,format\r\n"
GOOD = b"Ethics,2026-02-01,3,live_online\r\n"


def rejected(data: bytes) -> dict[int, str]:
    return dict(parse_ce_csv(data, today=TODAY).rejected)


@pytest.mark.parametrize(
    "data, message",
    [
        (HEADER.replace(b"\r\n", b"\r") + GOOD.replace(b"\r\n", b"\r"), "carriage returns only"),
        (b"title,completed,amount,format,title\r\n" + GOOD, "duplicate column(s): title"),
    ],
    ids=["CR-only line endings", "duplicate headers"],
)
def test_files_that_cannot_be_read_as_meant_are_refused_whole(data, message):
    with pytest.raises(InputError) as caught:
        parse_ce_csv(data, today=TODAY)
    assert message in caught.value.errors["file"]


def test_a_row_with_extra_cells_is_rejected_and_the_rest_imports():
    parsed = parse_ce_csv(
        HEADER + b"Ethics,2026-02-01,3,live_online,surprise\r\n" + GOOD.replace(b"Ethics", b"Law"),
        today=TODAY,
    )
    assert dict(parsed.rejected) == {2: "the row has more cells than the header (5, not 4)"}
    assert [row.title for _, row in parsed.rows] == ["Law"]


def test_a_field_over_128_kb_is_a_row_error_and_later_rows_still_count():
    huge = b'"' + b"x" * (129 * 1024) + b'"'
    data = HEADER + huge + b",2026-02-01,3,live_online\r\n" + GOOD
    parsed = parse_ce_csv(data, today=TODAY)
    assert parsed.rejected == [(2, "a cell is longer than 128 KB")]
    assert [line for line, _ in parsed.rows] == [3]


def test_a_nul_byte_is_a_row_error():
    assert rejected(HEADER + b"Eth\x00ics,2026-02-01,3,live_online\r\n") == {
        2: "title: contains a control character (such as NUL); remove it"
    }


def test_line_numbers_count_lines_of_the_file_not_records():
    data = (
        HEADER
        + b'"Two\r\nline title",2026-02-01,3,live_online\r\n'
        + b"Bad,2026-02-01,x,in_person\r\n"
    )
    assert list(rejected(data)) == [4]


def test_a_nul_byte_never_reaches_the_database(workspace):
    """PostgreSQL refuses NUL in text (a DataError); the row is rejected before that."""
    with workspace.transaction() as session:
        person = new_person(session)
    data = HEADER + b"Eth\x00ics,2026-02-01,3,live_online\r\n" + GOOD
    with workspace.transaction() as session:
        preview = imports.preview_ce_import(
            session, actor=me(person), person=person, data=data, today=TODAY
        )
        imports.commit_ce_import(session, actor=me(person), person=person, preview=preview)
    with workspace.transaction() as session:
        assert [activity.title for activity in listed(session, person)] == ["Ethics"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_any_file_gives_rows_and_reasons_or_one_file_error(body):
    for data in (body, HEADER + body):
        try:
            parsed = parse_ce_csv(data, today=TODAY)
        except InputError as error:
            assert set(error.errors) == {"file"} and error.errors["file"]
        else:
            assert all(reason for _, reason in parsed.rejected)
            assert all(line >= 2 for line, _ in parsed.rows + parsed.rejected)
