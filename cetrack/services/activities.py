"""The CE log: one entry per activity, counted for every credential it can.

Every write marks the person's credentials for re-evaluation in the same transaction. Logging
an activity that matches one already logged (same date, title, amount and unit) is refused
with `DuplicateActivity` unless the person confirms.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from cetrack.db.models import Activity, Certificate, Person
from cetrack.db.statements import lock_rows
from cetrack.engine import records
from cetrack.inputs import ActivityInput, duplicate_key, validate_activity
from cetrack.services.actor import Actor
from cetrack.services.errors import DuplicateActivity, InputError
from cetrack.services.evaluation import mark_person_dirty
from cetrack.services.ownership import (
    add_owned,
    change_owned,
    check_version,
    flush_versioned,
    owned,
    record_event,
    set_deleted,
)
from cetrack.services.policy import Action, require


def _attachable(session: Session, actor: Actor, person: Person, certificate_id: int) -> int:
    """A certificate id the actor may attach to `person`'s activity: the person's own."""
    certificate = session.get(Certificate, certificate_id)
    if certificate is None or certificate.person_id != person.id:
        raise InputError({"certificate": f"certificate {certificate_id} is not one of yours"})
    require(actor, Action.READ, certificate)
    return certificate.id


def logged_keys(session: Session, *, actor: Actor, person: Person) -> dict[tuple, int]:
    """Duplicate key -> activity id for every activity in the person's log (one query)."""
    require(actor, Action.READ, person)
    rows = session.exec(
        select(
            Activity.id, Activity.title, Activity.completed, Activity.amount, Activity.unit
        ).where(Activity.person_id == person.id, Activity.deleted_at.is_(None))
    )
    return {
        duplicate_key(title, day, amount, unit): row_id for row_id, title, day, amount, unit in rows
    }


def log_activity(
    session: Session,
    *,
    actor: Actor,
    person: Person,
    data: ActivityInput | dict,
    today: date,
    certificate_id: int | None = None,
    confirm_duplicate: bool = False,
) -> Activity:
    data = validate_activity(data, today=today)
    require(actor, Action.CREATE, Activity(person_id=person.id, **data.model_dump()))
    lock_rows(session, Person, person.id)  # one writer per log at a time: no doubled rows
    if not confirm_duplicate:
        existing = logged_keys(session, actor=actor, person=person).get(data.duplicate_key())
        if existing is not None:
            raise DuplicateActivity(existing, data.title, data.completed)
    return add_activity(
        session, actor=actor, person=person, data=data, certificate_id=certificate_id
    )


def add_activity(
    session: Session,
    *,
    actor: Actor,
    person: Person,
    data: ActivityInput,
    certificate_id: int | None = None,
) -> Activity:
    """Insert an already validated and duplicate-checked activity (log and import use it)."""
    if certificate_id is not None:
        certificate_id = _attachable(session, actor, person, certificate_id)
    activity = Activity(person_id=person.id, certificate_id=certificate_id, **data.model_dump())
    add_owned(session, activity, actor=actor, data=data)
    mark_person_dirty(session, person.id)
    return activity


def get_activity(
    session: Session,
    *,
    actor: Actor,
    activity_id: int,
    deleted: bool = False,
    action: Action = Action.READ,
) -> Activity:
    """The activity, if the actor may `action` it (checked before anything else is)."""
    return owned(
        session, Activity, actor=actor, record_id=activity_id, deleted=deleted, action=action
    )


def update_activity(
    session: Session,
    *,
    actor: Actor,
    activity_id: int,
    data: ActivityInput | dict,
    today: date,
    expected_version: int | None,
    certificate_id: int | None = None,
) -> Activity:
    """Save an edit; with `certificate_id`, the certificate replaces the one attached."""
    activity = get_activity(session, actor=actor, activity_id=activity_id, action=Action.UPDATE)
    data = validate_activity(data, today=today)
    extra = {}
    if certificate_id is not None:
        person = session.get(Person, activity.person_id)
        extra["certificate_id"] = _attachable(session, actor, person, certificate_id)
    previous_certificate = activity.certificate_id
    change_owned(
        session, activity, actor=actor, data=data, expected_version=expected_version, extra=extra
    )
    if certificate_id is not None and previous_certificate != certificate_id:
        action = "replace" if previous_certificate else "attach"
        _certificate_event(session, actor, activity, action, previous=previous_certificate)
    mark_person_dirty(session, activity.person_id)
    return activity


def detach_certificate(
    session: Session, *, actor: Actor, activity_id: int, expected_version: int | None
) -> Activity:
    """Take the certificate off an activity (the file stays the person's, and can be
    attached again)."""
    activity = get_activity(session, actor=actor, activity_id=activity_id, action=Action.UPDATE)
    require(actor, Action.UPDATE, activity)
    check_version(session, activity, expected=expected_version, fields=ActivityInput)
    previous = activity.certificate_id
    if previous is None:
        raise InputError({"certificate": "this activity has no certificate"})
    activity.certificate_id = None
    session.add(activity)
    flush_versioned(session, activity)
    _certificate_event(session, actor, activity, "detach", previous=previous)
    return activity


def _certificate_event(
    session: Session, actor: Actor, activity: Activity, action: str, *, previous: int | None
) -> None:
    detail = {"certificate_before": previous, "certificate_after": activity.certificate_id}
    record_event(session, activity, actor=actor, action=action, detail=detail)


def delete_activity(session: Session, *, actor: Actor, activity_id: int) -> Activity:
    activity = get_activity(session, actor=actor, activity_id=activity_id, action=Action.DELETE)
    set_deleted(session, activity, actor=actor, deleted=True)
    mark_person_dirty(session, activity.person_id)
    return activity


def restore_activity(session: Session, *, actor: Actor, activity_id: int) -> Activity:
    activity = get_activity(
        session, actor=actor, activity_id=activity_id, deleted=True, action=Action.DELETE
    )
    set_deleted(session, activity, actor=actor, deleted=False)
    mark_person_dirty(session, activity.person_id)
    return activity


def list_activities(
    session: Session, *, actor: Actor, person: Person, search: str = "", deleted: bool = False
) -> list[Activity]:
    require(actor, Action.READ, person)
    removed = Activity.deleted_at.is_not(None) if deleted else Activity.deleted_at.is_(None)
    statement = (
        select(Activity)
        .where(Activity.person_id == person.id, removed)
        .order_by(Activity.completed.desc(), Activity.id.desc())
    )
    activities = list(session.exec(statement))
    needle = search.strip().lower()
    if not needle:
        return activities
    return [
        activity
        for activity in activities
        if needle in activity.title.lower()
        or needle in activity.provider.lower()
        or any(needle in category for category in activity.categories)
        or needle in activity.notes.lower()
    ]


def engine_record(activity: Activity) -> records.Activity:
    return records.Activity.from_attributes(activity, id=str(activity.id))
