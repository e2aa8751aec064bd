"""CE CSV import: parsing and row checks in the importer, the duplicate check and the commit in
the service; nothing is written until confirmed, and a preview committed twice writes once."""

from __future__ import annotations

import pytest

from cetrack.importers.ce_csv import TEMPLATE, parse_ce_csv
from cetrack.services import imports, reports
from cetrack.services.errors import InputError
from tests.services.helpers import TODAY, listed, log, me, new_person

GOOD_AND_BAD = b"""title,completed,amount,format,provider,categories
Ethics in telehealth,2026-02-01,3,live_online,NBCC,ethics; telehealth
Trauma care,2026-13-01,3,in_person,NBCC,trauma
Negative,2026-03-01,-2,in_person,NBCC,trauma
Unknown topic,2026-03-01,2,in_person,NBCC,astrology
Future,2027-03-01,2,in_person,NBCC,trauma
Ethics in telehealth,2026-02-01,3,live_online,NBCC,ethics
Grief,2026-04-01,90,self_study,NBCC,clinical
"""


def preview(session, person, data=GOOD_AND_BAD):
    return imports.preview_ce_import(
        session, actor=me(person), person=person, data=data, today=TODAY
    )


def commit(session, person, parsed):
    return imports.commit_ce_import(session, actor=me(person), person=person, preview=parsed)


def test_the_importer_reports_every_rejected_row_without_a_database():
    parsed = parse_ce_csv(GOOD_AND_BAD, today=TODAY)
    assert [line for line, _ in parsed.rows] == [2, 8]
    reasons = dict(parsed.rejected)
    assert "completed" in reasons[3]
    assert "amount" in reasons[4]
    assert "unknown category 'astrology'" in reasons[5]
    assert "in the future" in reasons[6]
    assert reasons[7] == "the same activity appears earlier in the file"
    assert parsed.rows[0][1].categories == ["ethics", "telehealth"]


def test_the_preview_writes_nothing_and_totals_in_clock_hours(workspace):
    in_minutes = GOOD_AND_BAD.replace(b"provider,categories\n", b"provider,categories,unit\n")
    in_minutes = in_minutes.replace(b"NBCC,clinical\n", b"NBCC,clinical,minutes\n")
    with workspace.transaction() as session:
        person = new_person(session)
        assert preview(session, person).hours == 3 + 90  # both rows in hours
        assert preview(session, person, in_minutes).hours == 3 + 1.5  # 90 minutes are 1.5 h
        assert listed(session, person) == []


def test_confirmed_import_writes_the_accepted_rows_once(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        parsed = preview(session, person)
        outcome = commit(session, person, parsed)
    assert len(outcome.created) == 2
    with workspace.transaction() as session:
        assert sorted(a.title for a in listed(session, person)) == ["Ethics in telehealth", "Grief"]
        again = preview(session, person)
    assert again.accepted == [] and again.already_logged == [2, 8]


def test_committing_one_preview_twice_writes_each_row_once(workspace):
    """Two tabs, or a double click: the second commit finds the rows already logged."""
    with workspace.transaction() as session:
        person = new_person(session)
        parsed = preview(session, person)
    with workspace.transaction() as session:
        first = commit(session, person, parsed)
    with workspace.transaction() as session:
        second = commit(session, person, parsed)
    assert (len(first.created), len(second.created), second.already_logged) == (2, 0, 2)
    with workspace.transaction() as session:
        assert len(listed(session, person)) == 2


def test_a_failed_import_writes_nothing(workspace, monkeypatch):
    with workspace.transaction() as session:
        person = new_person(session)
        parsed = preview(session, person)
    calls = []
    original = imports.audit.record

    def fail_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(imports.audit, "record", fail_on_second)
    with pytest.raises(RuntimeError), workspace.transaction() as session:
        commit(session, person, parsed)
    with workspace.transaction() as session:
        assert listed(session, person) == []


@pytest.mark.parametrize(
    "data, message",
    [
        (b"title,amount\nx,1\n", "missing column(s): completed, format"),
        (b"title,completed,amount,format,colour\n", "unknown column(s): colour"),
        (b"\xff\xfe\x00t", "not UTF-8"),
    ],
)
def test_unusable_files_are_refused_whole(data, message):
    with pytest.raises(InputError) as caught:
        parse_ce_csv(data, today=TODAY)
    assert message in caught.value.errors["file"]


def test_the_template_and_an_old_hours_column_import_cleanly(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        log(session, person, title="Other")
        parsed = preview(session, person, TEMPLATE.encode())
        legacy = preview(session, person, GOOD_AND_BAD.replace(b",amount,", b",hours,"))
    assert len(parsed.accepted) == 1 and parsed.rejected == []
    assert [line for line, _ in legacy.accepted] == [2, 8]


def test_an_exported_ce_log_imports_back_unchanged(workspace):
    """Round trip: cetrack's CSV export, imported into an empty account, exports the same."""
    with workspace.transaction() as session:
        person = new_person(session)
        log(
            session,
            person,
            title='Ethics, "dual" roles; rural',
            categories=["ethics", "boundaries"],
        )
        log(
            session,
            person,
            title="Suicide care",
            amount=90,
            unit="minutes",
            format="self_study",
            type="course",
        )
        log(
            session,
            person,
            title="Jurisprudence exam",
            amount=1,
            categories=["jurisprudence"],
            type="exam",
            notes="passed\nfirst try",
        )
        exported = reports.activities_csv(session, workspace, actor=me(person), person=person)
        fresh = new_person(session, email="fresh@example.org")
        parsed = preview(session, fresh, exported)
        assert parsed.rejected == [] and parsed.already_logged == []
        commit(session, fresh, parsed)
        again = reports.activities_csv(session, workspace, actor=me(fresh), person=fresh)

    def without_ids(data: bytes) -> list[list[str]]:
        import csv
        import io

        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        return [row[1:] for row in rows]

    assert without_ids(again) == without_ids(exported)
