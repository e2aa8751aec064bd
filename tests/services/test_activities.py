"""The CE log on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from cetrack.services import activities
from cetrack.services.errors import InputError, NotFound
from tests.services.helpers import TODAY, activity_data, new_person


def log(session, person, **changes):
    return activities.log_activity(
        session, person=person, data=activity_data(**changes), today=TODAY
    )


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": "  "}, "title", "at least 1 character"),
        ({"hours": -2}, "hours", "greater than 0"),
        ({"hours": 0}, "hours", "greater than 0"),
        ({"completed": date(2027, 1, 1)}, "completed", "in the future"),
        ({"categories": ["ethic"]}, "categories", "unknown category 'ethic'"),
        ({"format": "webinar"}, "format", "unknown format 'webinar'"),
        ({"unit": "days"}, "unit", "unknown unit 'days'"),
    ],
)
def test_bad_input_is_refused_field_by_field(workspace, changes, field, message):
    with workspace.transaction() as session:
        person = new_person(session)
    with pytest.raises(InputError) as caught, workspace.transaction() as session:
        log(session, person, **changes)
    assert message in caught.value.errors[field]
    with workspace.transaction() as session:
        assert activities.list_activities(session, person=person) == []


def test_log_edit_delete_and_undo(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        first = log(session, person)
        log(
            session,
            person,
            title="Trauma-informed care",
            categories=["trauma"],
            completed=date(2026, 3, 1),
        )
    with workspace.transaction() as session:
        activities.update_activity(
            session, person=person, activity_id=first.id, data=activity_data(hours=4), today=TODAY
        )
        activities.delete_activity(session, person=person, activity_id=first.id)
    with workspace.transaction() as session:
        assert [a.title for a in activities.list_activities(session, person=person)] == [
            "Trauma-informed care"
        ]
        activities.restore_activity(session, person=person, activity_id=first.id)
    with workspace.transaction() as session:
        restored = activities.get_activity(session, person=person, activity_id=first.id)
        assert restored.hours == 4
        assert len(activities.list_activities(session, person=person)) == 2


def test_search_matches_title_provider_and_category(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        log(session, person)
        log(session, person, title="EMDR basics", provider="EMDRIA", categories=["trauma"])
        assert [
            a.title for a in activities.list_activities(session, person=person, search="emdria")
        ] == ["EMDR basics"]
        assert [
            a.title for a in activities.list_activities(session, person=person, search="ETHICS")
        ] == ["Ethics in telehealth"]


def test_a_failed_transaction_writes_nothing(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
    with pytest.raises(InputError), workspace.transaction() as session:
        log(session, person)
        log(session, person, hours=-1)
    with workspace.transaction() as session:
        assert activities.list_activities(session, person=person) == []


def test_another_persons_activity_is_not_found(workspace):
    with workspace.transaction() as session:
        owner = new_person(session)
        other = new_person(session, email="other@example.org")
        activity = log(session, owner)
    with pytest.raises(NotFound), workspace.transaction() as session:
        activities.delete_activity(session, person=other, activity_id=activity.id)
