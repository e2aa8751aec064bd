"""Records a person owns: fetched only for their owner; deleted softly, so it can be undone."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import Session, SQLModel

from cetrack.db.models import Person, utcnow
from cetrack.services import audit
from cetrack.services.errors import NotFound

Owned = TypeVar("Owned", bound=SQLModel)


def owned(
    session: Session, model: type[Owned], *, person: Person, record_id: int, deleted: bool = False
) -> Owned:
    """The person's record, in the given deleted state; NotFound for anyone else's."""
    noun = model.__name__.lower()
    record = session.get(model, record_id)
    if record is None or record.person_id != person.id:
        raise NotFound(f"no {noun} {record_id}")
    if (record.deleted_at is not None) != deleted:
        raise NotFound(f"{noun} {record_id} is {'not ' if deleted else ''}deleted")
    return record


def set_deleted(session: Session, record: SQLModel, *, person: Person, deleted: bool) -> None:
    """Delete (or restore) softly, with an audit event."""
    record.deleted_at = utcnow() if deleted else None
    session.add(record)
    audit.record(
        session,
        person_id=person.id,
        action="delete" if deleted else "restore",
        entity=type(record).__name__.lower(),
        entity_id=record.id,
    )


def add_owned(session: Session, record: Owned, *, person: Person, data: BaseModel) -> Owned:
    """Insert a new record of the person's, with an audit event holding what was entered."""
    session.add(record)
    session.flush()
    audit.record(
        session,
        person_id=person.id,
        action="create",
        entity=type(record).__name__.lower(),
        entity_id=record.id,
        detail=data.model_dump(mode="json"),
    )
    return record


def change_owned(
    session: Session, record: SQLModel, *, person: Person, data: BaseModel, extra: dict[str, Any]
) -> None:
    """Apply validated fields (and `extra` ones), keeping the previous values in the audit."""
    before = type(data).model_validate(record, from_attributes=True).model_dump(mode="json")
    for field, value in {**data.model_dump(), **extra}.items():
        setattr(record, field, value)
    record.updated_at = utcnow()
    session.add(record)
    audit.record(
        session,
        person_id=person.id,
        action="update",
        entity=type(record).__name__.lower(),
        entity_id=record.id,
        detail={"before": before},
    )
