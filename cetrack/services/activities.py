"""The CE log: one entry per activity, counted for every credential it can."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, select

from cetrack.db.models import Activity, Person
from cetrack.engine import records
from cetrack.rules.vocabulary import ACTIVITY_TYPES, CATEGORIES, FORMATS, UNITS
from cetrack.services.errors import InputError
from cetrack.services.ownership import add_owned, change_owned, owned, set_deleted


def _one_of(vocabulary: dict[str, str], value: str, noun: str) -> str:
    if value not in vocabulary:
        raise ValueError(f"unknown {noun} {value!r}; choose one of {', '.join(vocabulary)}")
    return value


class ActivityInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    provider: str = Field(default="", max_length=300)
    completed: date
    hours: float = Field(gt=0, le=1000, allow_inf_nan=False)
    unit: str = "hours"
    categories: list[str] = Field(default_factory=list)
    format: str = "in_person"
    type: str = "course"
    notes: str = Field(default="", max_length=4000)

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        return _one_of(UNITS, value, "unit")

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        return _one_of(FORMATS, value, "format")

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        return _one_of(ACTIVITY_TYPES, value, "activity type")

    @field_validator("categories")
    @classmethod
    def _categories(cls, values: list[str]) -> list[str]:
        for value in values:
            _one_of(CATEGORIES, value, "category")
        return list(dict.fromkeys(values))


def validate_activity(data: ActivityInput | dict, *, today: date) -> ActivityInput:
    try:
        data = ActivityInput.model_validate(data)
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    if data.completed > today:
        raise InputError({"completed": "the completion date is in the future"})
    return data


def log_activity(
    session: Session,
    *,
    person: Person,
    data: ActivityInput | dict,
    today: date,
    certificate_id: int | None = None,
) -> Activity:
    data = validate_activity(data, today=today)
    activity = Activity(person_id=person.id, certificate_id=certificate_id, **data.model_dump())
    return add_owned(session, activity, person=person, data=data)


def get_activity(
    session: Session, *, person: Person, activity_id: int, deleted: bool = False
) -> Activity:
    return owned(session, Activity, person=person, record_id=activity_id, deleted=deleted)


def update_activity(
    session: Session,
    *,
    person: Person,
    activity_id: int,
    data: ActivityInput | dict,
    today: date,
    certificate_id: int | None = None,
) -> Activity:
    activity = get_activity(session, person=person, activity_id=activity_id)
    data = validate_activity(data, today=today)
    extra = {"certificate_id": certificate_id} if certificate_id is not None else {}
    change_owned(session, activity, person=person, data=data, extra=extra)
    return activity


def delete_activity(session: Session, *, person: Person, activity_id: int) -> Activity:
    activity = get_activity(session, person=person, activity_id=activity_id)
    set_deleted(session, activity, person=person, deleted=True)
    return activity


def restore_activity(session: Session, *, person: Person, activity_id: int) -> Activity:
    activity = get_activity(session, person=person, activity_id=activity_id, deleted=True)
    set_deleted(session, activity, person=person, deleted=False)
    return activity


def list_activities(
    session: Session, *, person: Person, search: str = "", deleted: bool = False
) -> list[Activity]:
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


def same_activity(session: Session, *, person: Person, data: ActivityInput) -> Activity | None:
    """An activity already logged with the same title, date and hours (a double entry)."""
    statement = select(Activity).where(
        Activity.person_id == person.id,
        Activity.deleted_at.is_(None),
        Activity.completed == data.completed,
        Activity.hours == data.hours,
    )
    title = data.title.lower()
    return next(
        (activity for activity in session.exec(statement) if activity.title.lower() == title),
        None,
    )
