"""Bulk CSV import: preview with row-by-row reasons; only confirmed, valid rows are written."""

from __future__ import annotations

import pytest

from cetrack.importers.ce_csv import TEMPLATE, commit_import, preview_import
from cetrack.services import activities
from cetrack.services.errors import InputError
from tests.services.helpers import TODAY, activity_data, new_person

GOOD_AND_BAD = b"""title,completed,hours,format,provider,categories
Ethics in telehealth,2026-02-01,3,live_online,NBCC,ethics; telehealth
Trauma care,2026-13-01,3,in_person,NBCC,trauma
Negative,2026-03-01,-2,in_person,NBCC,trauma
Unknown topic,2026-03-01,2,in_person,NBCC,astrology
Future,2027-03-01,2,in_person,NBCC,trauma
Ethics in telehealth,2026-02-01,3,live_online,NBCC,ethics
Grief,2026-04-01,2,self_study,NBCC,clinical
"""


def test_preview_reports_every_rejected_row_and_writes_nothing(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        preview = preview_import(session, person=person, data=GOOD_AND_BAD, today=TODAY)
        assert activities.list_activities(session, person=person) == []
    assert [line for line, _ in preview.accepted] == [2, 8]
    reasons = dict(preview.rejected)
    assert "completed" in reasons[3]
    assert "hours" in reasons[4]
    assert "unknown category 'astrology'" in reasons[5]
    assert "in the future" in reasons[6]
    assert reasons[7] == "the same activity appears earlier in the file"
    assert preview.accepted[0][1].categories == ["ethics", "telehealth"]


def test_confirmed_import_writes_the_accepted_rows(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        preview = preview_import(session, person=person, data=GOOD_AND_BAD, today=TODAY)
        commit_import(session, person=person, preview=preview, today=TODAY)
    with workspace.transaction() as session:
        assert sorted(a.title for a in activities.list_activities(session, person=person)) == [
            "Ethics in telehealth",
            "Grief",
        ]
        again = preview_import(session, person=person, data=GOOD_AND_BAD, today=TODAY)
    assert again.accepted == []
    assert "already in your CE log" in dict(again.rejected)[2]


def test_a_failed_import_writes_nothing(workspace, monkeypatch):
    with workspace.transaction() as session:
        person = new_person(session)
        preview = preview_import(session, person=person, data=GOOD_AND_BAD, today=TODAY)
    calls = []
    original = activities.log_activity

    def fail_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(activities, "log_activity", fail_on_second)
    with pytest.raises(RuntimeError), workspace.transaction() as session:
        commit_import(session, person=person, preview=preview, today=TODAY)
    with workspace.transaction() as session:
        assert activities.list_activities(session, person=person) == []


@pytest.mark.parametrize(
    "data, message",
    [
        (b"title,hours\nx,1\n", "missing column(s): completed, format"),
        (b"title,completed,hours,format,colour\n", "unknown column(s): colour"),
        (b"\xff\xfe\x00t", "not UTF-8"),
    ],
)
def test_unusable_files_are_refused_whole(workspace, data, message):
    with workspace.transaction() as session:
        person = new_person(session)
        with pytest.raises(InputError) as caught:
            preview_import(session, person=person, data=data, today=TODAY)
    assert message in caught.value.errors["file"]


def test_the_template_imports_cleanly(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        activities.log_activity(
            session, person=person, data=activity_data(title="Other"), today=TODAY
        )
        preview = preview_import(session, person=person, data=TEMPLATE.encode(), today=TODAY)
    assert len(preview.accepted) == 1 and preview.rejected == []
