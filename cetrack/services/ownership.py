"""Records a person owns: fetched only for their owner; deleted softly, so it can be undone."""

from __future__ import annotations

from typing import TypeVar

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
