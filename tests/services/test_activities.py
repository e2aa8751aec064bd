"""The CE log on SQLite and PostgreSQL: validation, edits, undo, duplicates, stale saves."""

from __future__ import annotations

from datetime import date

import pytest

from cetrack.services import activities
from cetrack.services.errors import DuplicateActivity, Forbidden, InputError, StaleEdit
from tests.services.helpers import TODAY, activity_data, listed, log, me, new_person


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": "  "}, "title", "this is required"),
        ({"amount": -2}, "amount", "enter a number above 0"),
        ({"amount": 0}, "amount", "enter a number above 0"),
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
        assert listed(session, person) == []


def edit(session, person, activity, *, version, **changes):
    return activities.update_activity(
        session,
        actor=me(person),
        activity_id=activity.id,
        data=activity_data(**changes),
        today=TODAY,
        expected_version=version,
    )


def test_log_edit_delete_and_undo(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        first = log(session, person)
        log(session, person, title="Trauma-informed care", categories=["trauma"])
    with workspace.transaction() as session:
        edit(session, person, first, version=first.version, amount=4)
        activities.delete_activity(session, actor=me(person), activity_id=first.id)
    with workspace.transaction() as session:
        assert [a.title for a in listed(session, person)] == ["Trauma-informed care"]
        activities.restore_activity(session, actor=me(person), activity_id=first.id)
    with workspace.transaction() as session:
        restored = activities.get_activity(session, actor=me(person), activity_id=first.id)
        assert restored.amount == 4
        assert len(listed(session, person)) == 2


def test_search_matches_title_provider_and_category(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
        log(session, person)
        log(session, person, title="EMDR basics", provider="EMDRIA", categories=["trauma"])
        assert [a.title for a in listed(session, person, search="emdria")] == ["EMDR basics"]
        assert [a.title for a in listed(session, person, search="ETHICS")] == [
            "Ethics in telehealth"
        ]


def test_a_failed_transaction_writes_nothing(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
    with pytest.raises(InputError), workspace.transaction() as session:
        log(session, person)
        log(session, person, title="Other", amount=-1)
    with workspace.transaction() as session:
        assert listed(session, person) == []


def test_nobody_reaches_another_persons_activity(workspace):
    with workspace.transaction() as session:
        owner = new_person(session)
        other = new_person(session, email="other@example.org")
        activity = log(session, owner)
    for attempt in (
        lambda s: activities.delete_activity(s, actor=me(other), activity_id=activity.id),
        lambda s: activities.get_activity(s, actor=me(other), activity_id=activity.id),
        lambda s: edit(s, other, activity, version=activity.version, amount=9),
        lambda s: activities.list_activities(s, actor=me(other), person=owner),
    ):
        with pytest.raises(Forbidden), workspace.transaction() as session:
            attempt(session)
    with workspace.transaction() as session:
        assert [a.amount for a in listed(session, owner)] == [3]


# --- doubled rows ---------------------------------------------------------------------------


def test_logging_the_same_activity_twice_asks_first(workspace):
    """A double click must not double the hours: same date, title, amount and unit."""
    with workspace.transaction() as session:
        person = new_person(session)
        first = log(session, person)
    with pytest.raises(DuplicateActivity) as caught, workspace.transaction() as session:
        log(session, person, title="  ethics IN telehealth ")
    assert caught.value.existing_id == first.id
    with workspace.transaction() as session:
        assert len(listed(session, person)) == 1
        activities.log_activity(
            session,
            actor=me(person),
            person=person,
            data=activity_data(),
            today=TODAY,
            confirm_duplicate=True,
        )
        log(session, person, amount=3, unit="ceu")  # another unit is another activity
        assert len(listed(session, person)) == 3


# --- lost updates ---------------------------------------------------------------------------


def test_a_save_from_a_stale_form_is_refused_and_says_what_changed(workspace):
    """Two tabs open the same activity; A saves a new title, then B saves new hours from
    its stale form. B is refused, and A's title stays."""
    with workspace.transaction() as session:
        person = new_person(session)
        activity = log(session, person)
    opened = activity.version
    with workspace.transaction() as session:
        edit(session, person, activity, version=opened, title="Telehealth ethics, part 2")
    with pytest.raises(StaleEdit) as caught, workspace.transaction() as session:
        edit(session, person, activity, version=opened, amount=5)
    assert set(caught.value.changed) == {"title"}
    assert caught.value.changed["title"] == ("Ethics in telehealth", "Telehealth ethics, part 2")
    assert "changed since you opened it" in str(caught.value)
    with workspace.transaction() as session:
        current = activities.get_activity(session, actor=me(person), activity_id=activity.id)
    assert (current.title, current.amount) == ("Telehealth ethics, part 2", 3)


def test_two_saves_of_one_version_cannot_both_land(postgres_url, registry, tmp_path):
    """On PostgreSQL two transactions can both read version 1 and pass the check; the
    version column makes the later write fail instead of overwriting. (SQLite transactions
    take the write lock when they begin, so the second would read version 2.)"""
    from cetrack.db.engine import get_engine
    from cetrack.db.migrate import upgrade
    from cetrack.services.workspace import Workspace

    engine = get_engine(postgres_url)
    upgrade(engine)
    workspace = Workspace(engine=engine, registry=registry, files_dir=tmp_path)
    with workspace.transaction() as session:
        person = new_person(session)
        activity = log(session, person)
    with workspace.transaction() as second:
        stale = activities.get_activity(second, actor=me(person), activity_id=activity.id)
        with workspace.transaction() as first:
            edit(first, person, activity, version=activity.version, title="First")
        with pytest.raises(StaleEdit):
            edit(second, person, stale, version=stale.version, title="Second")
        second.rollback()
    with workspace.transaction() as session:
        assert (
            activities.get_activity(session, actor=me(person), activity_id=activity.id).title
            == "First"
        )
    engine.dispose()
